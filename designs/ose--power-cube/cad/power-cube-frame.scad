// OSE Power Cube - frame, engine/pump mounts and quick-attach plates
// Real-shaped adaptation of the OSE Power Cube (CC-BY-SA-4.0, Open Source Ecology).
// Units: mm. Inch dimensions from the OSE cut list are converted with IN.

IN = 25.4;

/* [Frame] */
frame_length = 29 * IN;   // 2 pcs per rectangle
frame_width  = 27 * IN;   // 2 pcs per rectangle
frame_height = 24 * IN;   // 4 uprights
angle_leg    = 2 * IN;    // 2 x 2 x 1/4 in angle
angle_t      = 0.25 * IN;

/* [Quick attach] */
qa_width  = 24 * IN;
qa_height = 8 * IN;
qa_t      = 0.375 * IN;
qa_lip_angle = 15;        // degrees, matches LifeTrac quick-attach

/* [Engine mount] */
engine_bolt_spacing = [8.25 * IN, 6.5 * IN];
engine_bolt_d = 0.5 * IN;

module angle_iron(len) {
    // L-profile along +X, legs along +Y and +Z
    cube([len, angle_leg, angle_t]);
    cube([len, angle_t, angle_leg]);
}

module rectangle(z) {
    translate([0, 0, z]) {
        angle_iron(frame_length);
        translate([frame_length, frame_width, 0]) rotate([0, 0, 180]) angle_iron(frame_length);
        translate([0, frame_width, 0]) rotate([0, 0, -90]) angle_iron(frame_width);
        translate([frame_length, 0, 0]) rotate([0, 0, 90]) angle_iron(frame_width);
    }
}

module upright(x, y, rz) {
    translate([x, y, 0]) rotate([0, 0, rz]) rotate([0, -90, 0]) angle_iron(frame_height);
}

module frame() {
    rectangle(0);
    rectangle(frame_height - angle_t);
    upright(0, 0, 0);
    upright(frame_length, 0, 90);
    upright(frame_length, frame_width, 180);
    upright(0, frame_width, 270);
}

module engine_mount_plate() {
    difference() {
        cube([12 * IN, 10 * IN, qa_t]);
        for (i = [-1, 1], j = [-1, 1])
            translate([6 * IN + i * engine_bolt_spacing[0] / 2,
                       5 * IN + j * engine_bolt_spacing[1] / 2, -1])
                hull() {                     // slotted for engine alternatives
                    cylinder(d = engine_bolt_d + 1, h = qa_t + 2, $fn = 24);
                    translate([12, 0, 0]) cylinder(d = engine_bolt_d + 1, h = qa_t + 2, $fn = 24);
                }
    }
}

module quick_attach_plate() {
    difference() {
        union() {
            cube([qa_width, qa_t, qa_height]);
            // top lip that hooks under the receiving machine's quick-attach angle
            translate([0, 0, qa_height]) rotate([-qa_lip_angle, 0, 0]) cube([qa_width, 3 * IN, qa_t]);
        }
        for (x = [3 * IN, qa_width - 3 * IN])
            translate([x, -1, 2 * IN]) rotate([-90, 0, 0]) cylinder(d = 1 * IN, h = qa_t + 2, $fn = 32);
    }
}

frame();
translate([4 * IN, 6 * IN, angle_t]) engine_mount_plate();
for (y = [-qa_t, frame_width]) translate([(frame_length - qa_width) / 2, y, frame_height - qa_height]) quick_attach_plate();
