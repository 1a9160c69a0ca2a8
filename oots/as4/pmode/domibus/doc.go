// Package domibus imports Domibus P-Mode configuration files (the
// <db:configuration> XML a Domibus access point is administered with)
// into a pmode.Config, so a Domibus partner's published P-Mode can be used
// as it is. Parse reads the whole file into File, a faithful typed model
// (parties, MPCs, roles, MEPs, properties, securities, error handlings,
// agreements, services, actions, reception awareness, reliability,
// payloads and payload profiles, splitting, legs and processes); Convert
// turns it into P-Modes for our own party; Import does both.
package domibus
