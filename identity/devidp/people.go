package devidp

import "github.com/vienreiz/vienreiz/identity"

// Person is a demo account of the development provider.
type Person struct {
	// Username is the account's name on the sign-in page.
	Username string
	// Identifier is the eIDAS person identifier (country of origin /
	// country of the provider / national number).
	Identifier  string
	GivenName   string
	FamilyName  string
	DateOfBirth string // YYYY-MM-DD
	// Role is "", identity.RoleClerk or identity.RoleAdministrator.
	Role string
	// Institution is the authority a clerk works for.
	Institution string
	// About says who the account stands for, on the sign-in page.
	About string
	// MaxLevel is the highest level of assurance the account can sign in
	// at (its "eID means"); identity.LevelHigh when empty.
	MaxLevel string
	// Represents is the identifier of the company the account may act
	// for (DemoCompany), "" for none.
	Represents string
}

// DemoPeople are the development provider's accounts: citizens of Latvia,
// Estonia and Germany with eIDAS attributes, the representative of a
// company, a clerk bound to an institution and an administrator.
func DemoPeople() []Person {
	return []Person{
		{Username: "janis", Identifier: "LV/LV/01019012345", GivenName: "Jānis", FamilyName: "Bērziņš", DateOfBirth: "1990-01-01",
			About: "citizen of Latvia"},
		{Username: "mari", Identifier: "EE/EE/48504152718", GivenName: "Mari", FamilyName: "Tamm", DateOfBirth: "1985-04-15",
			About: "citizen of Estonia"},
		{Username: "lukas", Identifier: "DE/DE/T220001293", GivenName: "Lukas", FamilyName: "Müller", DateOfBirth: "1978-11-30",
			About: "citizen of Germany; eID card at level substantial", MaxLevel: identity.LevelSubstantial},
		{Username: "liga", Identifier: "LV/LV/12087510402", GivenName: "Līga", FamilyName: "Kalniņa", DateOfBirth: "1975-08-12",
			About: "board member of Baltic Timber SIA (company LV/LV/40003012345), its representative", Represents: "LV/LV/40003012345"},
		{Username: "anna", Identifier: "LV/LV/23038811111", GivenName: "Anna", FamilyName: "Ozola", DateOfBirth: "1988-03-23",
			Role: identity.RoleClerk, Institution: "LV-UR", About: "clerk at the Register of Enterprises of Latvia (LV-UR)"},
		{Username: "admin", Identifier: "LV/LV/05058012121", GivenName: "Pēteris", FamilyName: "Admins", DateOfBirth: "1980-05-05",
			Role: identity.RoleAdministrator, About: "administrator of this Vienreiz service"},
	}
}

// DemoCompany is the company whose representative is the demo account
// "liga": its identifier and legal name.
func DemoCompany() (identifier, name string) {
	return "LV/LV/40003012345", "Baltic Timber SIA"
}

func (p Person) maxLevel() string {
	if p.MaxLevel == "" {
		return identity.LevelHigh
	}
	return p.MaxLevel
}
