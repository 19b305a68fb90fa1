import 'dart:convert';
import 'dart:io';
import 'dart:typed_data';

import 'package:asn1lib/asn1lib.dart';
import 'package:crypto/crypto.dart';

String pemHash(X509Certificate cert) => base64.encode(sha256.convert(utf8.encode(cert.pem)).bytes);

Uint8List _subjectPublicKeyInfo(Uint8List certificateDer) {
  final certificate = ASN1Parser(certificateDer).nextObject() as ASN1Sequence;
  final tbs = certificate.elements.first as ASN1Sequence;
  return tbs.elements[tbs.elements.first.tag == 0xa0 ? 6 : 5].encodedBytes;
}
