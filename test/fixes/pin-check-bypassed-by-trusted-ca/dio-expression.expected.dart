import 'dart:io';

import 'package:dio/dio.dart';
import 'package:dio/io.dart';

import 'pin_utils.dart';

const _pinsByHost = <String, List<String>>{
  'api.example.com': ['aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=', 'QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM='],
};

Dio pinnedDio() {
  final dio = Dio();
  dio.httpClientAdapter = IOHttpClientAdapter(
    createHttpClient: () {
      final client = HttpClient(context: SecurityContext(withTrustedRoots: false));
      client.badCertificateCallback = (X509Certificate cert, String host, int port) => true;
      return client;
    },
    validateCertificate: (cert, host, port) => cert != null && (_pinsByHost[host]?.contains(spkiSha256(cert)) ?? false),
  );
  return dio;
}
