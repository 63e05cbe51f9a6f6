// OpenFlexure Microscope (low-cost optics) - lens spacer tube for the Raspberry Pi Camera v2 lens
// Real-shaped re-implementation for the openflexure/microscope example package. CERN-OHL-S-2.0.
// The Pi Camera v2 lens is unscrewed, turned round and seated in this tube to act as an objective
// with higher magnification. Units: mm. Print upright, PLA, 0.15 mm layers, no supports.

/* [Lens] */
lens_d = 6.2;          // lens barrel diameter + clearance
lens_seat_h = 2.5;     // depth of the lens seat
aperture_d = 4.4;      // clear aperture below the lens

/* [Tube] */
outer_d = 12.0;
height = 18.0;         // sets the tube length and so the magnification (~40x on the sensor)
base_flange_d = 16.0;  // sits on the camera platform
base_flange_h = 1.5;

function profile() = [
    [aperture_d / 2, 0],
    [base_flange_d / 2, 0],
    [base_flange_d / 2, base_flange_h],
    [outer_d / 2, base_flange_h],
    [outer_d / 2, height],
    [lens_d / 2, height],
    [lens_d / 2, height - lens_seat_h],
    [aperture_d / 2, height - lens_seat_h]
];

rotate_extrude($fn = 64) polygon(profile());
