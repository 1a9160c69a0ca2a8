// Package assets embeds the files the app and the exchange service ship
// with: the icon, the lv and en translations, and the demo service catalogue.
package assets

import "embed"

// Translations holds translations/<lang>.json in the format of Fyne's lang
// package.
//
//go:embed translations/*.json
var Translations embed.FS

// TranslationsDir is the folder of Translations that holds the files.
const TranslationsDir = "translations"

//go:embed catalogue/services.json
var catalogueJSON []byte

//go:embed icon.png
var iconPNG []byte

// CatalogueJSON returns the demo service catalogue document.
func CatalogueJSON() []byte { return catalogueJSON }

// IconPNG returns the application icon as PNG bytes.
func IconPNG() []byte { return iconPNG }
