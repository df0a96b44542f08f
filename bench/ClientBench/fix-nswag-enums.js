// NSwag 14 names the enum members of `enum: [yes, no, YES, NO, Yes, No]` Yes, No, YES, NO, Yes, No: the last two
// repeat a name and the file does not compile. This drops a repeated member (and its EnumMember attribute) so the
// NSwag baseline builds; those spellings then no longer deserialize, which the benchmark's payloads never use.
const fs = require('fs');
const file = process.argv[2];
const lines = fs.readFileSync(file, 'utf8').split('\n');
const out = [];
let seen = null;
for (let i = 0; i < lines.length; i++) {
  const line = lines[i];
  if (/^\s*public enum /.test(line)) seen = new Set();
  if (seen && /^\s*}\s*$/.test(line)) seen = null;
  const member = seen && /^\s*([A-Za-z_][A-Za-z0-9_]*) = \d+,\s*$/.exec(line);
  if (member) {
    if (seen.has(member[1])) {
      if (out.length && /EnumMember/.test(out[out.length - 1])) out.pop();
      continue;
    }
    seen.add(member[1]);
  }
  out.push(line);
}
fs.writeFileSync(file, out.join('\n'));
