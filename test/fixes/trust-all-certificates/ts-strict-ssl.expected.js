const request = require('request');

module.exports = request.defaults({
  baseUrl: 'https://api.example.com',
  strictSSL: true,
});
