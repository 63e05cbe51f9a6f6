// OSE Power Cube - solid shaft coupling, engine (1-1/8 in keyed) to pump (5/8 in keyed)
// Real-shaped adaptation of the OSE Power Cube (CC-BY-SA-4.0, Open Source Ecology). Units: mm.
// Turned from 2 in round bar (1045 or 4140), bores reamed for a sliding fit, keyways broached
// or shaped, two set screws over each key. Check both shafts for run-out before drilling.

IN = 25.4;

/* [Body] */
body_d   = 2 * IN;        // from 2 in round bar
body_len = 3.5 * IN;

/* [Engine side] */
engine_bore  = 1.125 * IN;  // 1-1/8 in Vanguard horizontal shaft
engine_depth = 1.875 * IN;
engine_key   = 0.25 * IN;   // 1/4 in square key

/* [Pump side] */
pump_bore  = 0.625 * IN;    // 5/8 in SAE A keyed shaft
pump_depth = 1.5 * IN;
pump_key   = 0.1875 * IN;   // 3/16 in square key

/* [Set screws] */
set_screw_d = 0.375 * IN;   // 3/8-16 UNC cup point, tapped 5/16 in drill
$fn = 96;

module keyed_bore(d, depth, key) {
    cylinder(d = d, h = depth);
    // keyway: half the key height into the hub
    translate([-key / 2, 0, 0]) cube([key, d / 2 + key / 2, depth]);
}

module set_screw(z) {
    translate([0, 0, z]) rotate([-90, 0, 0]) cylinder(d = set_screw_d * 0.8, h = body_d);
}

difference() {
    cylinder(d = body_d, h = body_len);
    // engine side from the bottom
    translate([0, 0, -0.01]) keyed_bore(engine_bore, engine_depth + 0.01, engine_key);
    // pump side from the top
    translate([0, 0, body_len - pump_depth]) keyed_bore(pump_bore, pump_depth + 0.01, pump_key);
    // set screws over each keyway
    set_screw(engine_depth / 2);
    set_screw(body_len - pump_depth / 2);
    // edge chamfers
    translate([0, 0, -0.01]) cylinder(d1 = body_d + 2, d2 = body_d - 4, h = 3);
    translate([0, 0, body_len - 3 + 0.01]) cylinder(d1 = body_d - 4, d2 = body_d + 2, h = 3);
}
