/** The files `ohw init` writes: a small but complete, valid design the user edits from. */
export interface StarterAnswers {
  name: string; title: string; summary: string; function: string; version: string;
  licenseHardware: string; licenseDocumentation: string; licenseSoftware: string;
  category: string; processes: string[]; licensor: string; language: string;
}

const q = (s: string) => JSON.stringify(s);

export function starterFiles(a: StarterAnswers): Array<{ path: string; content: string }> {
  const short = a.name.split('/')[1] ?? a.name;
  const manifest = `# Open Hardware Commons design manifest — schema: schema/design.schema.json
manifestVersion: "1"
name: ${a.name}
version: ${a.version}
title: ${q(a.title)}
summary: ${q(a.summary)}
function: ${q(a.function)}
category:
  primary: ${q(a.category)}
keywords: []
documentationLanguage: ${a.language}
licensor:
  - name: ${q(a.licensor)}
license:
  hardware: ${a.licenseHardware}
  documentation: ${a.licenseDocumentation}
  software: ${a.licenseSoftware}
maturity:
  technology: OTRL-1
  documentation: ODRL-1
docs:
  readme: README.md
  sources:
    - src/${short}.scad
  assembly:
    - docs/assembly.md
bom:
  - id: body
    name: ${q(`${a.title} body`)}
    type: printed
    quantity: 1
    part: body
parts:
  - id: body
    name: ${q(`${a.title} body`)}
    processes: [3DP]
    source: src/${short}.scad
    material: PLA
production:
  processes: [${[...new Set([...a.processes, '3DP'])].join(', ')}]
  facilityLevel: apartment
`;
  const scad = `// ${a.title} — parametric body. Edit the parameters, then export STL for printing.
width = 60;   // mm
depth = 40;   // mm
height = 20;  // mm
wall = 2;     // mm

difference() {
  cube([width, depth, height]);
  translate([wall, wall, wall]) cube([width - 2 * wall, depth - 2 * wall, height]);
}
`;
  return [
    { path: 'design.yaml', content: manifest },
    { path: 'README.md', content: `# ${a.title}\n\n${a.summary}\n\n${a.function}\n\n## Licence\n\nHardware: ${a.licenseHardware}. Documentation: ${a.licenseDocumentation}.\n` },
    { path: `src/${short}.scad`, content: scad },
    { path: 'docs/assembly.md', content: `# Assembly\n\n1. Print \`src/${short}.scad\` (export STL from OpenSCAD).\n2. Describe each further step here.\n` },
  ];
}
