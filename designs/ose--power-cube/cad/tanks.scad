// OSE Power Cube - fuel tank and hydraulic reservoir (welded steel tube + end plates)
// Real-shaped adaptation of the OSE Power Cube (CC-BY-SA-4.0). Units: mm.

IN = 25.4;

/* [Tube] */
tube_od = 8 * IN;
tube_wall = 3/16 * IN;
end_plate_t = 0.25 * IN;

/* [Which tank] */
which = "reservoir"; // [reservoir, fuel]
reservoir_len = 25 * IN;   // ~10 US gal usable
fuel_len = 17 * IN;        // ~5 US gal usable

/* [Ports: NPT weld-in flanges] */
// [nominal size, OD of flange, axial position (fraction of length), angle around tube]
reservoir_ports = [
    [1.5,  2.6 * IN, 0.15, 180],  // suction via strainer, bottom
    [0.75, 1.6 * IN, 0.85,   0],  // return from filter, top
    [0.75, 1.6 * IN, 0.50,   0],  // filler/breather, top
    [0.25, 1.0 * IN, 0.90, 180]   // drain, bottom
];
fuel_ports = [
    [0.75, 1.6 * IN, 0.5,   0],   // filler
    [0.25, 1.0 * IN, 0.1, 180]    // fuel outlet
];

function usable_litres(len) = PI * pow((tube_od - 2 * tube_wall) / 2, 2) * len / 1e6;

module tank(len, ports) {
    echo(str("tank volume ", usable_litres(len), " l"));
    rotate([0, 90, 0]) difference() {
        union() {
            cylinder(d = tube_od, h = len, $fn = 96);
            for (p = ports)
                translate([0, 0, p[2] * len]) rotate([0, 0, p[3]]) rotate([0, 90, 0])
                    cylinder(d = p[1], h = tube_od / 2 + 0.75 * IN, $fn = 48);
        }
        translate([0, 0, end_plate_t]) cylinder(d = tube_od - 2 * tube_wall, h = len - 2 * end_plate_t, $fn = 96);
        for (p = ports)
            translate([0, 0, p[2] * len]) rotate([0, 0, p[3]]) rotate([0, 90, 0])
                cylinder(d = p[0] * IN * 1.2, h = tube_od, $fn = 32);
    }
}

if (which == "reservoir") tank(reservoir_len, reservoir_ports);
else tank(fuel_len, fuel_ports);
