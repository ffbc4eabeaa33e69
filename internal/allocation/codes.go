package allocation

// MeetingStatus is whether an allocation meeting's minutes are still open.
type MeetingStatus string

const (
	MeetingOpen   MeetingStatus = "apent"
	MeetingClosed MeetingStatus = "avsluttet"
)

// Verdict is the allocation meeting's decision on one case on the agenda;
// the zero value is a case not yet decided.
type Verdict string

const (
	Undecided Verdict = ""
	Approved  Verdict = "godkjent"
	Deferred  Verdict = "utsatt"
	Rejected  Verdict = "avvist"
)

// Valid reports whether v is a decision a meeting can make.
func (v Verdict) Valid() bool { return v == Approved || v == Deferred || v == Rejected }
