package allocation

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"husly/internal/housing"
	"husly/internal/i18n"
	"husly/internal/phrase"
)

// Pair evaluation: for an applicant and a unit, the hard constraints that
// are never broken, and a score made of priority, the applicant's own
// wishes and the fit of the unit to the need, each part explained.

// Requirements a decision can set for the home, without naming a unit.
// Each requirement's name is in the catalogues (case.requirement.<code>).
var Requirements = []string{"bakkeplan", "rullestol", "egen_inngang", "robust", "bemanning_dag", "bemanning_dogn", "unnga_rusmiljo"}

// RequirementLabel names a requirement in bokmål, from the catalogue, for
// the explanations the engine writes; "" for an unknown requirement.
func RequirementLabel(code string) string {
	if !slices.Contains(Requirements, code) {
		return ""
	}
	return i18n.Label("nb", "case.requirement", code)
}

// Need is an approved applicant as allocation sees them: the decision's
// housing and requirements, and the person's own wishes from the mapping.
type Need struct {
	ID             string           `json:"id"`
	Priority       float64          `json:"priority"`
	HousingType    housing.Category `json:"housing_type"`
	Rooms          int              `json:"rooms"`
	Requirements   []string         `json:"requirements"`
	HighNeed       bool             `json:"high_need"` // high follow-up need: counts towards the building's mix
	ROP            bool             `json:"rop"`       // followed for substance use and mental health: counts towards the ROP share
	Age            int              `json:"age"`
	WantDistricts  []string         `json:"want_districts"`
	AvoidDistricts []string         `json:"avoid_districts"`
	// NetworkDistricts is where family and friends live, when the person
	// wants to live near them.
	NetworkDistricts []string `json:"network_districts"`
	Pets             bool     `json:"pets"`
	SmokeFree        bool     `json:"smoke_free"`
	GroundFloor      bool     `json:"ground_floor"`
	Wheelchair       bool     `json:"wheelchair"`
}

// Home is a vacant unit as allocation sees it.
type Home struct {
	ID              string           `json:"id"`
	Category        housing.Category `json:"category"`
	Rooms           int              `json:"rooms"`
	Floor           int              `json:"floor"`
	Lift            bool             `json:"lift"`
	Wheelchair      bool             `json:"wheelchair"`
	Staffing        housing.Staffing `json:"staffing"`
	District        string           `json:"district"`
	PetsAllowed     bool             `json:"pets_allowed"`
	SmokingAllowed  bool             `json:"smoking_allowed"`
	DrugSceneNearby bool             `json:"drug_scene_nearby"`
	OwnEntrance     bool             `json:"own_entrance"`
	Robust          bool             `json:"robust"`
	NearServices    bool             `json:"near_services"`
	Building        string           `json:"building"`
	// Site and SiteRules are the site the unit is on and the rules it sets.
	Site      string    `json:"site,omitempty"`
	SiteRules SiteRules `json:"site_rules,omitzero"`
}

// Mix is a building's residents now: how many, how many with high
// follow-up needs, and how many followed for co-occurring substance use
// and mental health problems (ROP).
type Mix struct {
	Residents int `json:"residents"`
	HighNeed  int `json:"high_need"`
	ROP       int `json:"rop"`
}

// Policy weighs the parts of a score; the municipality sets it.
type Policy struct {
	PriorityWeight   float64 `json:"priority_weight"`
	WantedDistrict   float64 `json:"wanted_district"`
	SmokeFree        float64 `json:"smoke_free"`
	GroundFloor      float64 `json:"ground_floor"`
	NearServices     float64 `json:"near_services"`
	NearNetwork      float64 `json:"near_network"`
	ExtraRoomPenalty float64 `json:"extra_room_penalty"`
	// MixLimit is the largest share of residents with high follow-up needs
	// a building may reach (opphopning); 0 means no limit.
	MixLimit float64 `json:"mix_limit"`
	// ROPLimit is the same for residents followed for ROP problems.
	ROPLimit float64 `json:"rop_limit"`
	// DeclineLimits is the local limit on declined offers per waiting
	// list (by the housing type decided): after that many the case is
	// assessed anew. 0 turns the limit off for that list; a list not named
	// has the municipality's general limit.
	DeclineLimits map[string]int `json:"decline_limits"`
}

// DefaultDeclineLimits turn the limit off for Housing First: "Deltakerne
// skal være med og bestemme hvor boligen skal være" (seed 002), so a
// participant who declines a home is not sent back to a new assessment.
func DefaultDeclineLimits() map[string]int {
	return map[string]int{string(housing.CategoryHousingFirst): 0}
}

// DeclineLimitFor is the limit on declined offers for the waiting list of
// housingType, given the municipality's general limit; 0 is no limit.
func (p Policy) DeclineLimitFor(housingType housing.Category, general int) int {
	if n, ok := p.DeclineLimits[string(housingType)]; ok {
		return n
	}
	return general
}

// DefaultPolicy is the policy a municipality starts with. The limits on a
// building's mix lie well below what seed 003 calls "stor opphopning av
// personer med ruslidelser og psykiske lidelser (40–50 prosent)": at most
// 30 % of the residents with high follow-up needs and 20 % followed for ROP.
func DefaultPolicy() Policy {
	return Policy{PriorityWeight: 1, WantedDistrict: 10, SmokeFree: 3, GroundFloor: 3, NearServices: 2, NearNetwork: 5, ExtraRoomPenalty: 2, MixLimit: 0.3, ROPLimit: 0.2,
		DeclineLimits: DefaultDeclineLimits()}
}

// Misses lists the hard constraints a home breaks for a need; none means
// the pair is allowed as far as the home itself goes.
func Misses(n Need, h Home) []string {
	_, out, _ := misses(n, h, true)
	return out
}

// misses checks the hard constraints; the reasons are written only when
// asked for, since a round checks every pair and explains few. Each
// reason is a phrase, for the reader's language, and the same in bokmål.
func misses(n Need, h Home, explain bool) (ok bool, out []string, said []phrase.Phrase) {
	ok = true
	miss := func() bool { ok = false; return explain }
	note := func(p phrase.Phrase, format string, args ...any) {
		out, said = append(out, fmt.Sprintf(format, args...)), append(said, p)
	}
	if n.HousingType != "" && h.Category != n.HousingType && miss() {
		note(phrase.New("texts.pair.housing_type", phrase.Label("unit.category."+string(n.HousingType)), phrase.Label("unit.category."+string(h.Category))),
			"vedtaket gjelder %s, boligen er %s", i18n.Lower("housing.category", string(n.HousingType)), i18n.Lower("housing.category", string(h.Category)))
	}
	if h.Rooms < n.Rooms && miss() {
		note(phrase.New("texts.pair.rooms", phrase.Number(float64(n.Rooms)), phrase.Number(float64(h.Rooms))), "vedtaket krever %d rom, boligen har %d", n.Rooms, h.Rooms)
	}
	for _, r := range n.Requirements {
		met := true
		switch r {
		case "bakkeplan":
			met = h.Floor <= 1 || h.Lift
		case "rullestol":
			met = h.Wheelchair
		case "egen_inngang":
			met = h.OwnEntrance
		case "robust":
			met = h.Robust
		case "bemanning_dag":
			// The unit's staffing uses the levels' words.
			met = Level(h.Staffing) == LevelDay || Level(h.Staffing) == LevelNight
		case "bemanning_dogn":
			met = Level(h.Staffing) == LevelNight
		case "unnga_rusmiljo":
			met = !h.DrugSceneNearby
		}
		if !met && miss() {
			note(phrase.New("texts.pair.requirement", phrase.Label("case.requirement."+r)), "boligen oppfyller ikke kravet: %s", strings.ToLower(RequirementLabel(r)))
		}
	}
	if n.Wheelchair && !h.Wheelchair && !slices.Contains(n.Requirements, "rullestol") && miss() {
		note(phrase.New("texts.pair.wheelchair"), "søkeren bruker rullestol, og boligen er ikke tilgjengelig for rullestol")
	}
	if n.Pets && !h.PetsAllowed && miss() {
		note(phrase.New("texts.pair.pets"), "søkeren har dyr, og dyrehold er ikke tillatt i boligen")
	}
	if h.District != "" && containsFold(n.AvoidDistricts, h.District) && miss() {
		note(phrase.New("texts.pair.avoid_district", phrase.Text(h.District)), "søkeren vil ikke bo i %s", h.District)
	}
	if h.SiteRules != (SiteRules{}) {
		texts, sitePhrases := siteMisses(h.SiteRules, h.Site, n)
		for i := range texts {
			if miss() {
				note(sitePhrases[i], "%s", texts[i])
			}
		}
	}
	return ok, out, said
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(strings.TrimSpace(x), s) })
}

// Evaluation is the verdict on one pair: allowed or not, the score, and
// the reasons in Norwegian.
type Evaluation struct {
	Allowed bool     `json:"allowed"`
	Score   float64  `json:"score"`
	Reasons []string `json:"reasons"`
	// Said is the score's reasons as data, for a page in another language.
	Said []Said `json:"-"`
	// Refused is why a pair is not allowed, as phrases, one per reason.
	Refused []phrase.Phrase `json:"-"`
	// ROPLimit is set when the pair is refused by the building's ROP share:
	// the reason then tells that the person is followed for substance use
	// and mental health, which only a grant with both may read.
	ROPLimit bool `json:"-"`
}

// ROPHidden is the reason shown for a refusal by the ROP share to a
// viewer who may not know the person is followed for it.
const ROPHidden = "bygget ville få for mange beboere med særskilt oppfølgingsbehov, over grensen (opphopning)"

// ROPHiddenPhrase is ROPHidden as a phrase.
var ROPHiddenPhrase = phrase.New("texts.pair.rop_hidden")

// Evaluate judges a pair: first the hard constraints, including the
// building's mix, then the score, every part explained.
func Evaluate(n Need, h Home, mix Mix, p Policy) Evaluation { return evaluate(n, h, mix, p, true) }

// Score is Evaluate without the explanation, for checking every pair of a
// round quickly.
func Score(n Need, h Home, mix Mix, p Policy) (float64, bool) {
	e := evaluate(n, h, mix, p, false)
	return e.Score, e.Allowed
}

const ropFollowUp = "oppfølging for rus og psykisk helse (ROP)"

func evaluate(n Need, h Home, mix Mix, p Policy, explain bool) Evaluation {
	if ok, reasons, said := misses(n, h, explain); !ok {
		return Evaluation{Reasons: reasons, Refused: said}
	}
	for _, limit := range []struct {
		applies bool
		count   int
		limit   float64
		what    string
		key     string // what, in the catalogue
	}{{n.HighNeed, mix.HighNeed, p.MixLimit, "stort oppfølgingsbehov", "texts.pair.high_need"}, {n.ROP, mix.ROP, p.ROPLimit, ropFollowUp, "texts.pair.rop"}} {
		if !limit.applies || limit.limit <= 0 || mix.Residents == 0 {
			continue
		}
		if share := float64(limit.count+1) / float64(mix.Residents+1); share > limit.limit {
			e := Evaluation{ROPLimit: limit.applies && limit.what == ropFollowUp}
			if explain {
				e.Reasons = []string{fmt.Sprintf("bygget ville få %.0f %% beboere med %s, over grensen på %.0f %% (opphopning)", share*100, limit.what, limit.limit*100)}
				e.Refused = []phrase.Phrase{phrase.New("texts.pair.mix", phrase.Number(math.Round(share*100)), phrase.Label(limit.key), phrase.Number(math.Round(limit.limit*100)))}
			}
			return e
		}
	}
	e := Evaluation{Allowed: true}
	// add counts a part of the score and, when explaining, says why: in
	// bokmål for the API and as data (key, arguments) for the pages.
	add := func(points float64, why func() (string, Said)) {
		if points != 0 {
			e.Score += points
			if explain {
				text, said := why()
				said.Args = append(said.Args, Points(round(points)))
				e.Reasons = append(e.Reasons, fmt.Sprintf("%s: %s", text, signed(round(points))))
				e.Said = append(e.Said, said)
			}
		}
	}
	add(n.Priority*p.PriorityWeight, func() (string, Said) {
		return "Prioritet " + decimal(n.Priority), Said{Key: SaidPriority, Args: []any{n.Priority}}
	})
	if h.District != "" && containsFold(n.WantDistricts, h.District) {
		add(p.WantedDistrict, func() (string, Said) {
			return "Ønsket bydel (" + h.District + ")", Said{Key: SaidDistrict, Args: []any{h.District}}
		})
	}
	if n.SmokeFree && !h.SmokingAllowed {
		add(p.SmokeFree, func() (string, Said) { return "Røykfritt, som søkeren ønsker", Said{Key: SaidSmokeFree} })
	}
	if n.GroundFloor && (h.Floor <= 1 || h.Lift) {
		add(p.GroundFloor, func() (string, Said) { return "Bakkeplan eller heis, som søkeren ønsker", Said{Key: SaidGroundFloor} })
	}
	if h.NearServices {
		add(p.NearServices, func() (string, Said) { return "Nær tjenester", Said{Key: SaidNearServices} })
	}
	if h.District != "" && containsFold(n.NetworkDistricts, h.District) {
		add(p.NearNetwork, func() (string, Said) {
			return "Nær familie og venner (" + h.District + ")", Said{Key: SaidNetwork, Args: []any{h.District}}
		})
	}
	if extra := h.Rooms - max(n.Rooms, 1); extra > 0 {
		add(-float64(extra)*p.ExtraRoomPenalty, func() (string, Said) {
			return fmt.Sprintf("%d rom mer enn behovet", extra), Said{Key: SaidExtraRooms, Args: []any{extra}, N: float64(extra)}
		})
	}
	if e.Score < 0 {
		if explain {
			e.Reasons = append(e.Reasons, "Summen settes til 0: en tildeling gjør aldri resultatet verre")
			e.Said = append(e.Said, Said{Key: SaidZero})
		}
		e.Score = 0
	}
	e.Score = round(e.Score)
	return e
}

func round(f float64) float64 { return math.Round(f*100) / 100 }
