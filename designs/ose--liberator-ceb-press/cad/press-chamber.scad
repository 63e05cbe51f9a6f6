// OSE Liberator CEB press - press chamber, platens and frame (simplified, parametric)
// Real-shaped adaptation of the OSE CEB Press (CC-BY-SA-4.0). Units: mm.

IN = 25.4;

/* [Block] */
block_w = 6 * IN;
block_l = 12 * IN;
block_h_max = 4 * IN;
soil_fill_ratio = 1.65;     // loose soil height / pressed height

/* [Chamber] */
wall_t = 0.5 * IN;
chamber_h = block_h_max * soil_fill_ratio + 2 * IN;
platen_t = 1 * IN;

/* [Cylinder] */
bore = 5 * IN;
stroke = 14 * IN;
working_pressure_psi = 2500;

/* [Frame] */
tube = 4 * IN;
frame_l = 96 * IN;
frame_w = 30 * IN;
frame_h = 48 * IN;

force_lbf = working_pressure_psi * PI * pow(bore / IN / 2, 2);
echo(str("Press force: ", round(force_lbf), " lbf = ", round(force_lbf * 4.448 / 1000), " kN"));
echo(str("Block pressure: ", round(force_lbf / (6 * 12)), " psi"));

module chamber() {
    difference() {
        cube([block_l + 2 * wall_t, block_w + 2 * wall_t, chamber_h]);
        translate([wall_t, wall_t, -1]) cube([block_l, block_w, chamber_h + 2]);
        // drawer slot at top (soil enters from the hopper drawer)
        translate([-1, wall_t, chamber_h - 1.5 * IN]) cube([wall_t + 2, block_w, 1.5 * IN + 1]);
    }
}

module platen() cube([block_l - 1, block_w - 1, platen_t]);

module square_tube(len) difference() {
    cube([len, tube, tube]);
    translate([-1, 0.25 * IN, 0.25 * IN]) cube([len + 2, tube - 0.5 * IN, tube - 0.5 * IN]);
}

module frame() {
    for (y = [0, frame_w - tube]) square_tube(frame_l);
    for (x = [0, frame_l / 2, frame_l - tube])
        translate([x + tube, 0, 0]) rotate([0, 0, 90]) square_tube(frame_w);
    for (x = [frame_l / 2 - 10 * IN, frame_l / 2 + 10 * IN], y = [0, frame_w - tube])
        translate([x, y, 0]) rotate([0, -90, 0]) square_tube(frame_h);
}

module hopper() {
    top = [36 * IN, 36 * IN]; bottom = [block_l, block_w];
    hull() {
        translate([0, 0, 24 * IN]) cube([top[0], top[1], 1]);
        translate([(top[0] - bottom[0]) / 2, (top[1] - bottom[1]) / 2, 0]) cube([bottom[0], bottom[1], 1]);
    }
}

frame();
translate([frame_l / 2 - (block_l + 2 * wall_t) / 2, frame_w / 2 - (block_w + 2 * wall_t) / 2, tube]) {
    chamber();
    translate([wall_t + 0.5, wall_t + 0.5, 0]) platen();
}
translate([frame_l / 2 + 12 * IN, frame_w / 2 - 18 * IN, frame_h - 24 * IN]) hopper();
