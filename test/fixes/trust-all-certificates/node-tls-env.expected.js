'use strict';

const https = require('https');

// Staging has a self-signed certificate.

module.exports = function fetchStatus() {
	return https.get('https://staging.example.com/status');
};
