// Package pmode holds the typed processing-mode (P-Mode) configuration of
// the AS4 message service handler: the parties with their identifiers,
// access-point endpoints and certificates, and per agreement the services,
// actions, security and reliability settings, with defaults taken from the
// eDelivery AS4 1.15 profile. Configurations are loaded from a JSON file
// (see Load) or imported from a Domibus P-Mode XML file (package
// pmode/domibus). Package pmode/demo generates the two-party demo setup.
package pmode
