// OSE LifeTrac - chassis, Power Cube bays, loader arms, wheel units (simplified, parametric)
// Real-shaped adaptation of OSE LifeTrac (CC-BY-SA-4.0). Units: mm.

IN = 25.4;

/* [Chassis] */
wheelbase = 48 * IN;
track = 60 * IN;          // tyre centre to tyre centre
frame_l = 84 * IN;
frame_w = 44 * IN;
tube = 4 * IN;
tube_wall = 0.25 * IN;

/* [Power cube bay] (must fit ose/power-cube 29 x 27 x 24 in) */
cube_bay = [30 * IN, 28 * IN, 25 * IN];

/* [Loader] */
arm_len = 90 * IN;
arm_pivot_h = 60 * IN;
lift_angle = 0;           // [0:5:55] degrees, for reach/clearance checks

/* [Wheels] */
tyre_d = 31 * IN;         // 10-16.5 skid-steer tyre
tyre_w = 10 * IN;

module tube_x(len) difference() {
    cube([len, tube, tube]);
    translate([-1, tube_wall, tube_wall]) cube([len + 2, tube - 2 * tube_wall, tube - 2 * tube_wall]);
}

module chassis() {
    for (y = [0, frame_w - tube]) tube_x(frame_l);
    for (x = [0, frame_l / 2, frame_l - tube]) translate([x + tube, 0, 0]) rotate([0, 0, 90]) tube_x(frame_w);
    // towers carrying the loader pivots
    for (y = [0, frame_w - tube]) translate([frame_l - tube, y, 0]) rotate([0, -90, 0]) tube_x(arm_pivot_h);
}

module power_cube_bay(side) {
    // side = 0 left, 1 right; cubes sit side by side behind the operator
    translate([4 * IN, side * (frame_w / 2), tube]) %cube(cube_bay);
}

module wheel_unit(x, y) {
    translate([x, y, tyre_d / 2 - 6 * IN]) rotate([90, 0, 0])
        cylinder(d = tyre_d, h = tyre_w, center = true, $fn = 64);
}

module loader_arm(y) {
    translate([frame_l - tube, y, arm_pivot_h]) rotate([0, lift_angle - 35, 0]) tube_x(arm_len);
}

chassis();
power_cube_bay(0);
power_cube_bay(1);
for (x = [(frame_l - wheelbase) / 2, (frame_l + wheelbase) / 2], y = [-(track - frame_w) / 2, frame_w + (track - frame_w) / 2])
    wheel_unit(x, y);
for (y = [-tube, frame_w]) loader_arm(y);
echo(str("Power cube bays: 2 x ", cube_bay / IN, " in"));
