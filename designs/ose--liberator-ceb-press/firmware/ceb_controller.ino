// OSE Liberator CEB press controller - sensorless, time-calibrated cycle.
// Real-shaped adaptation of the OSE CEB press controller logic. GPL-3.0-or-later.
//
// The press has no position sensors: the controller measures how long the main cylinder
// takes to reach relief pressure (retracted/extended ends) and derives the timing for the
// next cycle. SV1 = main cylinder valve, SV2 = drawer/shaker cylinder valve.

const uint8_t SV1_EXTEND  = 2;   // MOSFET channel 1
const uint8_t SV1_RETRACT = 3;   // MOSFET channel 2
const uint8_t SV2_EXTEND  = 4;   // MOSFET channel 3
const uint8_t SV2_RETRACT = 5;   // MOSFET channel 4
const uint8_t MODE_AUTO   = 8;   // selector switch, active low
const uint8_t PRESSURE_SW = 9;   // pressure switch at relief setting, active low

const unsigned long COMPRESS_SAFETY_MS = 8000;
const unsigned long DRAWER_MS = 1200;

unsigned long compressMs = 3000;  // learned each cycle

void allOff() {
  for (uint8_t p = SV1_EXTEND; p <= SV2_RETRACT; p++) digitalWrite(p, LOW);
}

// Drive one valve until the pressure switch trips (end of stroke) or the timeout expires.
unsigned long driveUntilPressure(uint8_t pin, unsigned long timeoutMs) {
  unsigned long start = millis();
  digitalWrite(pin, HIGH);
  while (digitalRead(PRESSURE_SW) == HIGH && millis() - start < timeoutMs) {}
  digitalWrite(pin, LOW);
  return millis() - start;
}

void setup() {
  Serial.begin(115200);
  for (uint8_t p = SV1_EXTEND; p <= SV2_RETRACT; p++) pinMode(p, OUTPUT);
  pinMode(MODE_AUTO, INPUT_PULLUP);
  pinMode(PRESSURE_SW, INPUT_PULLUP);
  allOff();
  Serial.println(F("CEB press controller ready"));
}

void loop() {
  if (digitalRead(MODE_AUTO) == HIGH) { allOff(); return; }

  // 1. Main platen down: open the chamber for filling.
  driveUntilPressure(SV1_RETRACT, COMPRESS_SAFETY_MS);
  // 2. Drawer forward and back: soil falls into the chamber.
  digitalWrite(SV2_EXTEND, HIGH); delay(DRAWER_MS); digitalWrite(SV2_EXTEND, LOW);
  driveUntilPressure(SV2_RETRACT, DRAWER_MS * 2);
  // 3. Compress until relief pressure; learn the compression time.
  compressMs = driveUntilPressure(SV1_EXTEND, COMPRESS_SAFETY_MS);
  Serial.print(F("compress ms: ")); Serial.println(compressMs);
  // 4. Drawer pushes the finished block out onto the table.
  driveUntilPressure(SV2_EXTEND, DRAWER_MS * 2);
  driveUntilPressure(SV2_RETRACT, DRAWER_MS * 2);
}
