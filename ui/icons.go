package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// phoneSVG is a phone seen from the front: Fyne's icon set has a computer
// but no phone, and the buttons that carry on or sign in on a phone
// showed the computer.
const phoneSVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#000000" fill-rule="evenodd" d="M8 1h8a2 2 0 0 1 2 2v18a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2V3a2 2 0 0 1 2-2zm0 3v14h8V4zm4 15.3a1.1 1.1 0 1 0 0 2.2 1.1 1.1 0 0 0 0-2.2z"/></svg>`

// phoneIcon is phoneSVG in the theme's foreground colour.
var phoneIcon = theme.NewThemedResource(fyne.NewStaticResource("phone.svg", []byte(phoneSVG)))
