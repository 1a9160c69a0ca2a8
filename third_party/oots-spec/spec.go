// Package ootsspec holds the project's copy of the OOTS specification data
// (schemas, business rules, code lists, samples) and embeds the code lists,
// so that the product checks values against the official lists themselves.
package ootsspec

import "embed"

// CodeLists holds the official Genericode (.gc) code lists of OOTS v1.0,
// under codelists/v1.0/OOTS and codelists/v1.0/External (NUTS for the
// regions the Data Service Directory may ask for).
//
//go:embed codelists/v1.0/OOTS/*.gc codelists/v1.0/External/CountryIdentificationCode-2.3.gc codelists/v1.0/External/EAS.gc codelists/v1.0/External/LanguageCode-2.3.gc codelists/v1.0/External/NutsCodes.gc
var CodeLists embed.FS
