import { ALL_RULES } from '../rules';

export const GENERAL_HELP = `Usage: pinning-audit <command> [options]

Audits TLS certificate-pinning code in Dart, Swift and TypeScript/JavaScript.

Commands:
  scan [PATH...]    Audit files and folders (default: the current folder)
  spki <host[:port]|URL> | --file CERT
                    Print the SPKI pins (sha256/...) of a server's chain or a certificate file
  verify [PATH...]  Check the pins of host-tied pin sets against the live hosts
  backup-key --out DIR [--type TYPE] [--host NAME]...
                    Make a backup key pair, its CSR and its pin for pin rotation

Options:
  -h, --help        Show this help ('pinning-audit <command> --help' for a command's options)
  -v, --version     Print the version

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it,
2 usage error, unreadable path or failure to run.
`;

export const SCAN_HELP = () => `Usage: pinning-audit scan [PATH...] [options]

Audits the Dart, Swift and TypeScript/JavaScript files under each PATH
(default: the current folder). node_modules, build, .dart_tool, Pods,
DerivedData and .git folders are not entered.

Options:
  -f, --format text|json|sarif|gitlab
                                   Output format (default: text); gitlab: GitLab's
                                   SAST report (gl-sast-report.json)
  -o, --output FILE                Write the report to FILE instead of stdout
      --fail-on error|warning|note|none
                                   Exit with 1 when a finding at or above this
                                   level remains (default: error)
      --exclude GLOB               Leave out matching files or folders; relative
                                   to the scanned folder (when one folder is given)
                                   or else to the current folder. Repeatable.
      --max-file-size-kb N         Skip files larger than N KB (default: 1024)
      --rotation-warning-days N    pin-set-expired warns N days before a pin set expires (default: 30)
      --baseline FILE              Report and fail only on findings that are not in
                                   FILE, an earlier report (--format json or sarif,
                                   or --write-baseline); the others count as baselined
      --write-baseline FILE        Also write this scan's findings to FILE (JSON), to
                                   use as --baseline later
      --diff-base REF              Report only findings on lines changed since the git
                                   ref REF (and in untracked files): for pull requests.
                                   Reads 'git diff' locally; nothing is fetched
      --jobs N                     Audit on N threads (default: one per core;
                                   1: no worker threads)
      --cache                      Keep each file's results in a cache file and reuse
                                   them while the file's content, the settings and
                                   the version stay the same (changed files are
                                   audited again)
      --cache-location PATH        The cache file (default: .pinningauditcache in the
                                   current folder); a folder (existing, or PATH ending
                                   in /) holds one named after the current folder
      --rule ID=off|error|warning|note
                                   Turn a rule off or change its level. Repeatable.
      --fix                        First apply the preferred quick fixes that need
                                   no input to the files (one line per changed file
                                   on stderr); a file is rewritten atomically, and
                                   only when the fixed text parses. The report then
                                   shows what remains.
  -q, --quiet                      No summary line (text format)
      --no-color                   No colors (text output is colored only on a
                                   terminal and when NO_COLOR is unset)
  -h, --help                       Show this help
  -v, --version                    Print the version

Findings covered by a 'pinning-audit-ignore-next-line' or 'pinning-audit-ignore-file'
comment are counted as suppressed and never fail the scan. Skipped files are listed
on stderr (text format), in "skippedFiles" (json) or as notifications (sarif).

Rules (default level; weaknesses; OWASP MASVS control):
${ALL_RULES.map((r) => `  ${r.meta.id.padEnd(34)}${r.meta.level.padEnd(9)}${r.meta.security.cwe.map((n) => `CWE-${n}`).join(', ')}; ${r.meta.security.masvs.join(', ')}`).join('\n')}

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it,
2 usage error, unreadable or missing PATH, or failure to run.
`;
