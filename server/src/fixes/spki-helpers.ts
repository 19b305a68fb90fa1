/**
 * Helpers the SPKI fixes insert into a file that has none: they produce the DER
 * SubjectPublicKeyInfo that SPKI pins (`openssl … pkey -pubin -outform der | sha256 | base64`) hash.
 * Both are file-private, so two fixed files of one module or library never clash.
 */
import { ancestors, descendantsAround } from '../facts/tree';
import type { FixContext } from './context';
import { lineEndOf } from './text';
import type { OffsetEdit } from './types';

// ---------------------------------------------------------------- Dart

export const DART_SPKI_HELPER = '_subjectPublicKeyInfo';

/** A certificate's DER → its SubjectPublicKeyInfo, read with package:asn1lib. */
function dartSpkiHelper(eol: string): string {
  return [
    '/// The DER SubjectPublicKeyInfo of an X.509 certificate (its DER bytes): what an SPKI pin hashes.',
    `Uint8List ${DART_SPKI_HELPER}(Uint8List certificateDer) {`,
    '  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }',
    '  final certificate = ASN1Parser(certificateDer).nextObject() as ASN1Sequence;',
    '  final tbsCertificate = certificate.elements.first as ASN1Sequence;',
    '  // tbsCertificate ::= SEQUENCE { [0] version (absent in v1), serialNumber, signature, issuer,',
    '  //                                validity, subject, subjectPublicKeyInfo, … }',
    '  final fields = tbsCertificate.elements;',
    '  final hasVersion = fields.first.tag == 0xa0;',
    '  return fields[hasVersion ? 6 : 5].encodedBytes;',
    '}',
  ].join(eol);
}

/** Whether the file declares a top-level function of this name already. */
export function dartDeclaresFunction(context: FixContext, name: string): boolean {
  // Found from the name's occurrences: a file parsed in parts needs only the text around them.
  return descendantsAround(context.file.root, context.file.text, ['function_signature'], [name])
    .some((s) => s.childForFieldName('name')?.text === name && ![...ancestors(s)].some((a) => a.type === 'function_body' || a.type === 'class_body'));
}

/** The Dart helper appended to the file, or nothing when the file has it. */
export function dartSpkiHelperEdit(context: FixContext): OffsetEdit | undefined {
  if (dartDeclaresFunction(context, DART_SPKI_HELPER)) return undefined;
  return appendToFile(context, dartSpkiHelper(context.eol));
}

// ---------------------------------------------------------------- Swift

/**
 * ASN.1 SubjectPublicKeyInfo headers: SEQUENCE { AlgorithmIdentifier, BIT STRING { key } } up to the
 * key bytes SecKeyCopyExternalRepresentation returns (PKCS #1 for RSA, the X9.63 point for EC).
 */
export const SWIFT_SPKI_HEADERS: { type: 'RSA' | 'EC'; bits: number; header: number[] }[] = [
  { type: 'RSA', bits: 2048, header: [0x30, 0x82, 0x01, 0x22, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x03, 0x82, 0x01, 0x0f, 0x00] },
  { type: 'RSA', bits: 3072, header: [0x30, 0x82, 0x01, 0xa2, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x03, 0x82, 0x01, 0x8f, 0x00] },
  { type: 'RSA', bits: 4096, header: [0x30, 0x82, 0x02, 0x22, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x03, 0x82, 0x02, 0x0f, 0x00] },
  { type: 'EC', bits: 256, header: [0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00] },
  { type: 'EC', bits: 384, header: [0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00] },
  { type: 'EC', bits: 521, header: [0x30, 0x81, 0x9b, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23, 0x03, 0x81, 0x86, 0x00] },
];

export const SWIFT_SPKI_HELPER = 'subjectPublicKeyInfo';
const SWIFT_HEADER_HELPER = 'spkiHeader';

function hex(bytes: number[]): string {
  return bytes.map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ');
}

function swiftHeaderSwitch(type: 'RSA' | 'EC', indent: string): string[] {
  const lines = [`${indent}switch keySizeInBits {`];
  for (const entry of SWIFT_SPKI_HEADERS.filter((h) => h.type === type)) {
    lines.push(`${indent}case ${entry.bits}: return [${hex(entry.header)}]`);
  }
  lines.push(`${indent}default: return nil`, `${indent}}`);
  return lines;
}

const SWIFT_HELPERS = {
  certificate: {
    signature: new RegExp(`func\\s+${SWIFT_SPKI_HELPER}\\s*\\(\\s*of\\s+\\w+\\s*:\\s*SecCertificate\\b`),
    lines: (u: string) => [
      '/// The DER SubjectPublicKeyInfo of a certificate\'s public key: what an SPKI pin hashes.',
      '/// Empty (so no pin matches) when the key\'s type or size has no header below.',
      `private func ${SWIFT_SPKI_HELPER}(of certificate: SecCertificate) -> CFData {`,
      `${u}guard let key = SecCertificateCopyKey(certificate) else { return Data() as CFData }`,
      `${u}return ${SWIFT_SPKI_HELPER}(of: key) as CFData`,
      '}',
    ],
  },
  key: {
    signature: new RegExp(`func\\s+${SWIFT_SPKI_HELPER}\\s*\\(\\s*of\\s+\\w+\\s*:\\s*SecKey\\b`),
    lines: (u: string) => [
      '/// The DER SubjectPublicKeyInfo of a public key: the ASN.1 header for its type and size, then',
      '/// SecKeyCopyExternalRepresentation\'s bytes. Empty (so no pin matches) for other keys.',
      `private func ${SWIFT_SPKI_HELPER}(of key: SecKey) -> Data {`,
      `${u}guard let attributes = SecKeyCopyAttributes(key) as? [CFString: Any],`,
      `${u}      let type = attributes[kSecAttrKeyType] as? String,`,
      `${u}      let size = attributes[kSecAttrKeySizeInBits] as? Int,`,
      `${u}      let header = ${SWIFT_HEADER_HELPER}(keyType: type, keySizeInBits: size),`,
      `${u}      let raw = SecKeyCopyExternalRepresentation(key, nil) as Data? else { return Data() }`,
      `${u}return Data(header) + raw`,
      '}',
    ],
  },
  header: {
    signature: new RegExp(`func\\s+${SWIFT_HEADER_HELPER}\\s*\\(\\s*keyType\\b`),
    lines: (u: string) => [
      '/// The ASN.1 SubjectPublicKeyInfo header that goes before a key of this type and size.',
      `private func ${SWIFT_HEADER_HELPER}(keyType: String, keySizeInBits: Int) -> [UInt8]? {`,
      `${u}if keyType == (kSecAttrKeyTypeRSA as String) {`,
      ...swiftHeaderSwitch('RSA', u + u),
      `${u}}`,
      `${u}if keyType == (kSecAttrKeyTypeECSECPrimeRandom as String) {`,
      ...swiftHeaderSwitch('EC', u + u),
      `${u}}`,
      `${u}return nil`,
      '}',
    ],
  },
};

/** The Swift helpers appended to the file (those it lacks): `subjectPublicKeyInfo(of:)` for a certificate and/or a key. */
export function swiftSpkiHelperEdit(context: FixContext, forCertificate: boolean): OffsetEdit | undefined {
  const wanted = forCertificate ? [SWIFT_HELPERS.certificate, SWIFT_HELPERS.key, SWIFT_HELPERS.header] : [SWIFT_HELPERS.key, SWIFT_HELPERS.header];
  const missing = wanted.filter((h) => !h.signature.test(context.text));
  if (missing.length === 0) return undefined;
  const unit = context.indentUnit;
  return appendToFile(context, missing.map((h) => h.lines(unit).join(context.eol)).join(context.eol + context.eol));
}

// ---------------------------------------------------------------- shared

/** Appends `code` after a blank line at the end of the file, ending it with a line break. */
function appendToFile(context: FixContext, code: string): OffsetEdit {
  const { text, eol } = context;
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  const lastLineEnd = lineEndOf(text, end);
  // Keep the file's last line and its line break; replace any blank lines after it with one.
  return { start: lastLineEnd, end: text.length, text: `${end > 0 ? eol + eol : ''}${code}${eol}` };
}
