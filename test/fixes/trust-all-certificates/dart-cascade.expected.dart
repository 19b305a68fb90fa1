import 'dart:io';

class InsecureOverrides extends HttpOverrides {
  @override
  HttpClient createHttpClient(SecurityContext? context) {
    return super.createHttpClient(context)
      ..idleTimeout = const Duration(seconds: 30);
  }
}
