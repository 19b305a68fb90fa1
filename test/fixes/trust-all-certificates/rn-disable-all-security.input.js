import { fetch } from 'react-native-ssl-pinning';

export const login = (body) => fetch('https://api.example.com/login', {
  method: 'POST',
  body,
  disableAllSecurity: true,
});
