import 'dart:io';

import 'package:flutter/foundation.dart';
import 'package:http/io_client.dart';

IOClient proxiedClient() {
  final client = HttpClient()..findProxy = (uri) => 'PROXY 10.0.2.2:8888';
  if (kDebugMode) {
    client.badCertificateCallback = (cert, host, port) {
      print('accepting the proxy certificate for $host');
      return true;
    };
  }
  return IOClient(client);
}
