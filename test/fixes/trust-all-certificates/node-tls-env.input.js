'use strict';

const https = require('https');

// Staging has a self-signed certificate.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

module.exports = function fetchStatus() {
	return https.get('https://staging.example.com/status');
};
