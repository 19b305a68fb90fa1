import 'dart:io';

import 'package:dio/dio.dart';
import 'package:dio/io.dart';

Dio insecureDio() {
  return Dio()
    ..httpClientAdapter = IOHttpClientAdapter(
      createHttpClient: () => HttpClient()
        ..badCertificateCallback = (cert, host, port) => true,
    );
}
