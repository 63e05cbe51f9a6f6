// Prusa i3 glass bed clip - clamps 3 mm glass onto the 1.6 mm MK2B heated bed.
// GPL-3.0-or-later. Units: mm. Print 4 in PLA/PETG, 100 % infill, profile flat on the bed.

/* [Stack to clamp] */
glass_t = 3.0;
heatbed_t = 1.6;
squeeze = 0.3;        // interference so the clip grips

/* [Clip] */
wall = 2.4;
jaw_glass = 6;        // how far the top jaw reaches over the glass
jaw_bed = 10;         // bottom jaw under the heatbed
width = 12;           // extrusion length

gap = glass_t + heatbed_t - squeeze;

function profile() = [
    [0, 0], [jaw_bed + wall, 0], [jaw_bed + wall, wall], [wall, wall],
    [wall, wall + gap], [jaw_glass + wall, wall + gap], [jaw_glass + wall, 2 * wall + gap], [0, 2 * wall + gap]
];

linear_extrude(height = width) polygon(profile());
