import 'dart:convert';
import 'dart:io';
import 'dart:typed_data';

import 'package:asn1lib/asn1lib.dart';
import 'package:crypto/crypto.dart';

bool sha1Pinned(X509Certificate cert, Set<String> pins) => pins.contains(base64.encode(Uint8List.fromList(sha256.convert(_subjectPublicKeyInfo(cert.der)).bytes)));

/// The DER SubjectPublicKeyInfo of an X.509 certificate (its DER bytes): what an SPKI pin hashes.
Uint8List _subjectPublicKeyInfo(Uint8List certificateDer) {
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
  final certificate = ASN1Parser(certificateDer).nextObject() as ASN1Sequence;
  final tbsCertificate = certificate.elements.first as ASN1Sequence;
  // tbsCertificate ::= SEQUENCE { [0] version (absent in v1), serialNumber, signature, issuer,
  //                                validity, subject, subjectPublicKeyInfo, … }
  final fields = tbsCertificate.elements;
  final hasVersion = fields.first.tag == 0xa0;
  return fields[hasVersion ? 6 : 5].encodedBytes;
}
