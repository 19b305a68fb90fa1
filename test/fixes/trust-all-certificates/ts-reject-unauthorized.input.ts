import * as https from 'node:https';
import axios from 'axios';

export const client = axios.create({
  baseURL: 'https://api.example.com',
  httpsAgent: new https.Agent({
    keepAlive: true,
    rejectUnauthorized: false,
    timeout: 10_000,
  }),
});
