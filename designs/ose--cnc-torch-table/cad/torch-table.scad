// OSE CNC Torch Table - table frame, slat bed, gantry on OSE Universal Axis (simplified, parametric)
// Real-shaped adaptation of the OSE CNC Torch Table (CC-BY-SA-4.0). Units: mm.

IN = 25.4;

/* [Cut area] */
cut_x = 4 * 12 * IN;      // 4 ft
cut_y = 4 * 12 * IN;      // 4 ft

/* [Frame] */
tube = 2 * IN;            // 2 x 2 x 1/8 in square tube legs and rails
table_h = 34 * IN;
slat_pitch = 3 * IN;
slat_h = 2 * IN;
slat_t = 0.125 * IN;

/* [Universal axis] */
rod_d = 12;               // smooth rods per axis carriage (2 per axis)
rod_spacing = 80;
gantry_clearance = 6 * IN;

frame_x = cut_x + 12 * IN;
frame_y = cut_y + 12 * IN;

module sq_tube(len) difference() {
    cube([len, tube, tube]);
    translate([-1, 0.125 * IN, 0.125 * IN]) cube([len + 2, tube - 0.25 * IN, tube - 0.25 * IN]);
}

module table() {
    for (y = [0, frame_y - tube]) translate([0, y, table_h - tube]) sq_tube(frame_x);
    for (x = [0, frame_x - tube]) translate([x + tube, 0, table_h - tube]) rotate([0, 0, 90]) sq_tube(frame_y);
    for (x = [0, frame_x - tube], y = [0, frame_y - tube]) translate([x, y, 0]) rotate([0, -90, 0]) translate([0, 0, -tube]) sq_tube(table_h - tube);
    // water tray under the slats
    color("steelblue", 0.4) translate([tube, tube, table_h - tube - 4 * IN]) cube([frame_x - 2 * tube, frame_y - 2 * tube, 0.0625 * IN]);
    // replaceable slats
    for (x = [tube + slat_pitch : slat_pitch : frame_x - tube - slat_pitch])
        translate([x, tube, table_h]) cube([slat_t, frame_y - 2 * tube, slat_h]);
}

module axis(len) {
    // OSE Universal Axis: two smooth rods between printed motor end and idler end
    for (o = [-rod_spacing / 2, rod_spacing / 2]) translate([0, o, 0]) rotate([0, 90, 0]) cylinder(d = rod_d, h = len, $fn = 24);
    translate([-40, -60, -30]) cube([40, 120, 60]);      // motor end (3D printed)
    translate([len, -60, -30]) cube([40, 120, 60]);      // idler end (3D printed)
}

table();
// Y axes along both sides, X axis (gantry) spanning them
for (x = [tube / 2, frame_x - tube / 2]) translate([x, 40, table_h + slat_h + gantry_clearance]) rotate([0, 0, 90]) axis(frame_y - 80);
translate([40, frame_y / 2, table_h + slat_h + gantry_clearance + 60]) axis(frame_x - 80);
echo(str("Cut area: ", cut_x, " x ", cut_y, " mm; frame ", frame_x, " x ", frame_y, " mm"));
