export const PINS: Record<string, string[]> = {
  'api.example.com': ['sha256/E4TeXFRJxwCT4h4LgOwBw7SGn6kYtl7cUgSD2PYzmX4=', 'sha256/DT/qelWX4/hb/uSiHeOsv4PCYYAhqIjXkOA0dmFHtwI='],
  'auth.example.com': ['sha256//BVudLJCJS8gzyZwYkh0lApEJrZkwLm7YM8UBdSqm0a8='],
};
