// Prusa i3 Y corner - joins the M10 threaded Y-frame rods and an M8 cross rod.
// Real-shaped re-implementation after Josef Prusa's Prusa i3 (GPL-3.0-or-later).
// Units: mm. Print 4, PLA, 3 perimeters, 30 % infill, no supports.

/* [Rods] */
m10_d = 10.5;       // clearance for M10 threaded rod
m8_d  = 8.4;        // clearance for M8 threaded rod
/* [Body] */
size = [20, 24, 38];  // x: thickness along M10, y: width, z: height
wall = 4;
m10_z = [10, 30];   // heights of the two M10 rods (the frame is a triangle seen from the side)
m8_y = 12;          // M8 rod runs along X through the corner
m8_z = 20;
chamfer = 1.5;

module body() {
    hull() for (x = [chamfer, size[0] - chamfer], y = [chamfer, size[1] - chamfer])
        translate([x, y, 0]) cylinder(r = chamfer, h = size[2], $fn = 16);
}

difference() {
    body();
    // two M10 holes along Y (lower rod and upper rod of the Y frame)
    for (z = m10_z) translate([size[0] / 2, -1, z]) rotate([-90, 0, 0]) cylinder(d = m10_d, h = size[1] + 2, $fn = 40);
    // M8 cross rod along X, between the M10 holes
    translate([-1, m8_y, m8_z]) rotate([0, 90, 0]) cylinder(d = m8_d, h = size[0] + 2, $fn = 32);
}
