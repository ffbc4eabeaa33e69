package demo

// Synthetic Norwegian names and places for the demo municipality. The
// streets and districts are Kristiansund's; the people do not exist.

var femaleNames = []string{"Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Bjørg",
	"Hilde", "Anna", "Solveig", "Marianne", "Randi", "Ida", "Nina", "Maria", "Elisabeth", "Kristin", "Tone", "Silje",
	"Hanne", "Camilla", "Mona", "Ingeborg", "Heidi", "Tove", "Wenche", "Emma", "Nora", "Sara", "Thea", "Julie", "Malin",
	"Linn", "Siri", "Åse", "Grethe", "Sigrid"}

var maleNames = []string{"Jan", "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Svein", "Arne", "Thomas", "Hans",
	"Geir", "Tor", "Morten", "Terje", "Odd", "Erik", "Martin", "Andreas", "John", "Anders", "Rune", "Trond", "Tore",
	"Jon", "Harald", "Stian", "Espen", "Kristian", "Even", "Jonas", "Magnus", "Sindre", "Håkon", "Øyvind", "Vegard",
	"Eirik", "Ståle", "Frode", "Leif"}

var lastNames = []string{"Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
	"Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Johannessen", "Andreassen",
	"Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen", "Lund", "Sørensen", "Moen", "Gundersen", "Iversen",
	"Strand", "Solberg", "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen", "Bakken", "Kristoffersen", "Mathisen",
	"Lie", "Amundsen", "Nguyen", "Rasmussen", "Ali", "Lunde", "Solheim", "Berge", "Moe", "Nygård", "Bakke", "Kristensen",
	"Fredriksen", "Holm", "Lien", "Andresen", "Hauge", "Christensen", "Aune", "Gjerde", "Ødegård", "Øien", "Sæther",
	"Vullum", "Talgø", "Rønning", "Kvendseth", "Flatvad", "Fugelsøy", "Ohrstrand", "Kvalvik", "Goma"}

var districts = []string{"Kirkelandet", "Innlandet", "Nordlandet", "Gomalandet", "Frei", "Rensvik", "Kvalvik", "Dalabrekka"}

var streets = map[string][]string{
	"Kirkelandet": {"Kaibakken", "Langveien", "Kongens gate", "Storgata", "Kaptein Bødtkers gate", "Skolegata", "Nedre Enggate", "Kirkegata"},
	"Innlandet":   {"Innlandsveien", "Devoldsgata", "Vågeveien", "Holmakeran"},
	"Nordlandet":  {"Nordlandsveien", "Løkkemyra", "Atlanten", "Lauvlia", "Nordmørsveien"},
	"Gomalandet":  {"Gomalandsveien", "Fosnagata", "Tverrveien", "Nordre gate"},
	"Frei":        {"Freiveien", "Rensvikveien", "Nedre Frei", "Storvikveien"},
	"Rensvik":     {"Rensvikvegen", "Kvalvikveien", "Tuvvika"},
	"Kvalvik":     {"Kvalviksvingen", "Eikebakken", "Øvre Kvalvik"},
	"Dalabrekka":  {"Dalaveien", "Brekkagata", "Dalabrekka"},
}

var postalCodes = map[string]string{
	"Kirkelandet": "6509", "Innlandet": "6507", "Nordlandet": "6517", "Gomalandet": "6511",
	"Frei": "6523", "Rensvik": "6521", "Kvalvik": "6515", "Dalabrekka": "6514",
}

// Names gives the demo's first and last names, for generators that make
// larger synthetic municipalities in the same style.
func Names() (first, last []string) {
	return append(append([]string{}, femaleNames...), maleNames...), append([]string{}, lastNames...)
}
