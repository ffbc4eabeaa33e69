package allocation

import (
	"fmt"
	"strings"

	"husly/internal/phrase"
)

// Said is an explanation as data: a message key and its arguments, so
// that a page can say it in the reader's language. The bokmål sentence
// beside it (Evaluation.Reasons, Part.Reason) is what the API, the
// meeting's minutes and the match files carry.
type Said struct {
	Key  string
	Args []any
	// N is the number the sentence counts, for its plural form.
	N float64
}

// Points is a part of a score, written with its sign (+10, -2).
type Points float64

// The keys of the explanations, one per kind of sentence; the pages'
// catalogues hold their text.
const (
	SaidPriority     = "reason.score.priority"
	SaidDistrict     = "reason.score.district"
	SaidSmokeFree    = "reason.score.smoke_free"
	SaidGroundFloor  = "reason.score.ground_floor"
	SaidNearServices = "reason.score.near_services"
	SaidNetwork      = "reason.score.network"
	SaidExtraRooms   = "reason.score.extra_rooms"
	SaidZero         = "reason.score.zero"
	SaidGroup        = "reason.group." // + the group's code
	SaidHomelessNow  = "reason.homeless_now"
	SaidWaiting      = "reason.waiting"
	SaidWaitingMax   = "reason.waiting_max"
)

// Phrase is the explanation as a phrase, to store and to send: a part of
// a score keeps its sign, and the number the sentence counts picks its
// plural form (the last argument equal to N, since the sentences count
// their points or rooms at the end or alone).
func (s Said) Phrase() phrase.Phrase {
	args := make([]phrase.Arg, len(s.Args))
	counted := false
	for i := len(s.Args) - 1; i >= 0; i-- {
		var f float64
		switch a := s.Args[i].(type) {
		case Points:
			args[i] = phrase.Points(float64(a))
			continue
		case float64:
			f = a
		case int:
			f = float64(a)
		default:
			args[i] = phrase.Text(fmt.Sprint(a))
			continue
		}
		if !counted && f == s.N && s.N != 0 {
			args[i], counted = phrase.Arg{Kind: phrase.KindCount, Number: f}, true
		} else {
			args[i] = phrase.Number(f)
		}
	}
	return phrase.New(s.Key, args...)
}

// phrases are the explanations as phrases.
func phrases(ss []Said) []phrase.Phrase {
	out := make([]phrase.Phrase, len(ss))
	for i, s := range ss {
		out[i] = s.Phrase()
	}
	return out
}

// speakAll rewrites bokmål reasons from their explanations, when there is
// one explanation per reason.
func speakAll(reasons []string, said []Said, write func(phrase.Phrase) string) {
	if len(said) != len(reasons) {
		return
	}
	for i, s := range said {
		reasons[i] = write(s.Phrase())
	}
}

// Speak writes the proposal's reasons in the reader's language
// (phrase.Speaker).
func (p *Proposal) Speak(write func(phrase.Phrase) string) { speakAll(p.Reasons, p.Said, write) }

// Speak writes the part's reason in the reader's language.
func (p *Part) Speak(write func(phrase.Phrase) string) {
	if p.Said.Key != "" {
		p.Reason = write(p.Said.Phrase())
	}
}

// Speak writes the shift's reasons in the reader's language, joined as
// Preview joins them.
func (s *Shift) Speak(write func(phrase.Phrase) string) {
	if len(s.Parts) == 0 {
		return
	}
	why := make([]string, len(s.Parts))
	for i, p := range s.Parts {
		p.Speak(write)
		why[i] = p.Reason
	}
	s.Why = strings.Join(why, "; ")
}

// Speak writes the agenda item's reasons in the reader's language; an
// item stored before phrases keeps its bokmål reasons.
func (it *Item) Speak(write func(phrase.Phrase) string) {
	if len(it.Said) != len(it.Reasons) {
		return
	}
	for i, p := range it.Said {
		it.Reasons[i] = write(p)
	}
}
