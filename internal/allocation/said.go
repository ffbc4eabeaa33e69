package allocation

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
