// Package pmode holds the typed processing-mode (P-Mode) configuration of
// the AS4 message service handler: the parties with their identifiers,
// access-point endpoints and certificates, and per agreement the services,
// actions, security and reliability settings, with defaults taken from the
// eDelivery AS4 1.15 profile. Configurations are loaded from a JSON file
// (see Load) or imported from a Domibus P-Mode XML file (package
// pmode/domibus). Package pmode/demo generates the two-party demo setup.
//
// # File format
//
// The JSON file format (testdata/two-parties.json is a full example):
//
//	{
//	  "self": "LV",                          // our party, a name below
//	  "parties": [{
//	    "name": "LV",
//	    "ids": [{"value": "...", "type": "urn:oasis:names:tc:ebcore:partyid-type:unregistered:oots"}],
//	    "endpoints": ["https://ap1.example/as4", "https://ap2.example/as4"],  // primary first
//	    "certificate": "certs/lv.pem",       // PEM or DER file, relative to the config file
//	    "certificatePEM": "-----BEGIN..."    // or inline; at most one of the two
//	  }],
//	  "pmodes": [{
//	    "id": "lv-to-demo-request",
//	    "agreement": "", "agreementType": "",
//	    "mep": "oneWay", "mepBinding": "push",  // short names or the ebMS3 URIs
//	    "initiator": {"party": "LV", "role": "..."}, "responder": {"party": "DEMO", "role": "..."},
//	    "legs": [{"service": "QueryManager", "serviceType": "urn:...", "action": "ExecuteQueryRequest"}],
//	    "security": {"sign": true, "encrypt": true, "signatureAlgorithm": "...", ...},
//	    "reliability": {"retryCount": 5, "retryInterval": "1m", "backoffFactor": 2,
//	                    "receiptTimeout": "2m", "duplicateDetection": true},
//	    "compress": true, "maxPayloadSize": 104857600
//	  }]
//	}
//
// Omitted security and reliability settings, roles, MEP and binding take
// the eDelivery AS4 1.15 defaults (DefaultSecurity, DefaultReliability,
// one-way push, the ebMS3 default roles); "compress" defaults to true.
// Unknown fields are errors.
package pmode
