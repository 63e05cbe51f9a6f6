/**
 * OSE CNC Torch Table - Marlin configuration overrides (GPL-3.0-or-later).
 * Copy these defines into Marlin 2.x Configuration.h / Configuration_adv.h.
 * Board: Arduino Mega 2560 + RAMPS 1.4, external TB6600 drivers on the step/dir pins.
 */
#pragma once

#define MOTHERBOARD BOARD_RAMPS_14_EFB
#define CUSTOM_MACHINE_NAME "OSE Torch Table"

// Universal Axis: GT2 belt, 20T pulley, 1.8 deg motors, 1/8 microstepping on TB6600
#define DEFAULT_AXIS_STEPS_PER_UNIT   { 40, 40, 400, 0 }
#define DEFAULT_MAX_FEEDRATE          { 150, 150, 10, 0 }    // mm/s; cutting 1/4 in plate at ~20-25 mm/s
#define DEFAULT_MAX_ACCELERATION      { 500, 500, 100, 0 }

#define X_BED_SIZE 1220
#define Y_BED_SIZE 1220
#define Z_MAX_POS 100

// External drivers
#define X_DRIVER_TYPE  TB6600
#define Y_DRIVER_TYPE  TB6600
#define Y2_DRIVER_TYPE TB6600    // dual Y motors, one per side
#define Z_DRIVER_TYPE  A4988

// Torch on/off uses the fan/spindle output through a relay to the plasma CNC interface
#define SPINDLE_FEATURE
#define SPINDLE_LASER_ACTIVE_STATE HIGH
#define SPINDLE_LASER_POWERUP_DELAY 500   // ms pierce delay before motion

// No heaters on this machine
#define TEMP_SENSOR_0 0
#define TEMP_SENSOR_BED 0
#define EXTRUDERS 0
