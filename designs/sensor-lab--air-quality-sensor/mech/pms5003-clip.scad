// PMS5003 snap clip - holds the Plantower PMS5003 (50 x 38 x 21 mm) on the enclosure floor.
// Print two, 20 mm long each, PETG, 0.2 mm layers, no supports (profile flat on the bed).
// CERN-OHL-S-2.0 - sensor-lab/air-quality-sensor. Units: mm.

/* [Sensor] */
sensor_w = 38.0;      // PMS5003 width
sensor_h = 21.0;      // PMS5003 height
clearance = 0.2;

/* [Clip] */
wall = 2;
lip = 3;              // lip overhang that snaps over the sensor top edge
clip_len = 20;        // extrusion length

iw = sensor_w + 2 * clearance;
ih = sensor_h + clearance;
W = iw + 2 * wall;
H = ih + 2 * wall;

function profile() = [
    [0, 0], [W, 0], [W, H], [W - wall - lip, H], [W - wall - lip, H - wall],
    [W - wall, H - wall], [W - wall, wall], [wall, wall], [wall, H - wall],
    [wall + lip, H - wall], [wall + lip, H], [0, H]
];

linear_extrude(height = clip_len) polygon(profile());
