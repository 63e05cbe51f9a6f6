// Parametric finger-jointed laser-cut box - fablab/laser-cut-enclosure
// CERN-OHL-P-2.0. Units: mm. Render with F6 then "Export as SVG/DXF" (2D, one panel per row).
//
// Six panels: bottom/top (X by Y), front/back (X by Z), left/right (Y by Z).
// Fingers: odd count per edge so every corner closes; kerf compensation widens tabs.

/* [Box, inner dimensions] */
inner_x = 130;
inner_y = 90;
inner_z = 55;

/* [Material] */
t = 3;            // sheet thickness (3 mm birch plywood or 3 mm acrylic)
kerf = 0.15;      // laser kerf (CO2 40-60 W on 3 mm birch: 0.12-0.18)
finger = 10;      // nominal finger width

/* [Features] */
vent_slots = true;          // slots on left/right panels for sensor airflow
vent_w = 3; vent_l = 35; vent_pitch = 7;
screw_d = 3.2;              // M3 clearance for the lid screws / T-slots
standoff_holes = [[10, 10], [10, 60], [90, 10], [90, 60]];  // PCB mounting, from bottom-left inner corner
cable_hole_d = 12;          // cable gland / USB cable on the back panel
panel_gap = 5;              // spacing in the layout

ox = inner_x + 2 * t; oy = inner_y + 2 * t; oz = inner_z + 2 * t;

function nfingers(len) = max(3, 2 * floor(len / finger / 2) + 1);

// Edge profile along +X from 0 to len; "tabs_out" selects whether the first finger is a tab.
module finger_edge(len, tabs_out) {
    n = nfingers(len);
    w = len / n;
    for (i = [0 : n - 1])
        if ((i % 2 == 0) == tabs_out)
            translate([i * w - kerf / 2, -t]) square([w + kerf, t + 0.01]);
}

// A panel of a x b, fingers on all four edges; flags say which edges have tabs out.
module panel(a, b, tx, ty) {
    difference() {
        union() {
            translate([0, 0]) square([a, b]);
            finger_edge(a, tx);
            translate([0, b]) mirror([0, 1]) finger_edge(a, tx);
            rotate([0, 0, 90]) mirror([0, 1]) finger_edge(b, ty);
            translate([a, 0]) rotate([0, 0, 90]) finger_edge(b, ty);
        }
        children();
    }
}

module vents(a, b) {
    if (vent_slots)
        for (x = [a / 2 - 2 * vent_pitch : vent_pitch : a / 2 + 2 * vent_pitch])
            translate([x - vent_w / 2, (b - vent_l) / 2]) square([vent_w, vent_l]);
}

module layout() {
    // bottom with PCB standoff holes
    panel(inner_x, inner_y, true, true)
        for (p = standoff_holes) translate([t + p[0], t + p[1]]) circle(d = screw_d, $fn = 24);
    // top (lid) with 4 corner screw holes
    translate([0, oy + panel_gap]) panel(inner_x, inner_y, true, true)
        for (x = [8, inner_x - 8], y = [8, inner_y - 8]) translate([x, y]) circle(d = screw_d, $fn = 24);
    // front / back
    translate([0, 2 * (oy + panel_gap)]) panel(inner_x, inner_z, false, true);
    translate([0, 2 * (oy + panel_gap) + oz + panel_gap]) panel(inner_x, inner_z, false, true)
        translate([inner_x - 20, inner_z / 2]) circle(d = cable_hole_d, $fn = 48);
    // left / right with vents
    translate([ox + panel_gap, 0]) panel(inner_y, inner_z, false, false) vents(inner_y, inner_z);
    translate([ox + panel_gap, oz + panel_gap]) panel(inner_y, inner_z, false, false) vents(inner_y, inner_z);
}

layout();
echo(str("Sheet needed: ", ox + panel_gap + oy, " x ", 2 * (oy + panel_gap) + 2 * (oz + panel_gap), " mm"));
