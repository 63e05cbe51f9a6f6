// Open Gamma Detector - light-tight end cap joining the scintillator can to the PCB carrier.
// Real-shaped example part, GPL-3.0-or-later. Units: mm. Print in black PETG, 100 % infill walls.

/* [Scintillator can] */
can_od = 30.5;        // 1 x 1 in NaI(Tl) in aluminium can (typ. 30 mm OD)
can_grip = 12;        // how deep the can slides into the cap

/* [Cap] */
wall = 2.4;
floor_t = 3;
pcb_slot = [52, 1.8]; // PCB tongue (width, thickness) that carries the SiPM
cable_d = 4.5;        // USB cable relief

difference() {
    cylinder(d = can_od + 2 * wall, h = can_grip + floor_t, $fn = 96);
    translate([0, 0, floor_t]) cylinder(d = can_od + 0.3, h = can_grip + 1, $fn = 96);
    // slot for the PCB tongue so the SiPM sits centred on the crystal window
    translate([-pcb_slot[0] / 2, -pcb_slot[1] / 2, -1]) cube([pcb_slot[0], pcb_slot[1], floor_t + 2]);
}
