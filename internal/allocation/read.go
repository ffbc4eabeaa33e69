package allocation

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"husly/internal/invalid"
)

// Reading `husly match` input streamed. A pair-mode problem of 1,000,000
// pairs is 50 MB of JSON; decoding it whole (the document, then a struct
// with two strings and a score pointer per pair) took 2.5 s of a 4.4 s run.
// Here the top-level object is scanned once: the pairs array is read one
// pair at a time, each resolved at once to applicant and unit indexes, and
// only the other members (applicants, units, policy, buildings: small) are
// kept as raw JSON and decoded with encoding/json as before.

// ReadProblem reads either mode: an input with "pairs" is pair mode, any
// other is attribute mode.
func ReadProblem(r io.Reader) (Problem, error) { return read(r, false) }

// ReadPairs reads and checks a pair-mode input. Unknown fields, unknown or
// duplicate ids, duplicate pairs and scores that are missing, negative or
// not finite are refused, each named.
func ReadPairs(r io.Reader) (Problem, error) { return read(r, true) }

// member is a top-level member other than pairs, kept as raw JSON.
type member struct {
	key string
	raw []byte
}

func read(r io.Reader, pairMode bool) (Problem, error) {
	s := &scanner{r: bufio.NewReaderSize(r, 256*1024)}
	var members []member
	var pc *pairChecker
	var pending []pendingPair // pairs met before the applicants or units
	err := s.topLevel(func(key []byte) error {
		// encoding/json matches names regardless of case; deciding the
		// mode, ReadProblem looks for "pairs" exactly, as it always has.
		if k := string(key); k != "pairs" && !(pairMode && strings.EqualFold(k, "pairs")) {
			raw, err := s.captureValue()
			members = append(members, member{k, raw})
			return err
		}
		pairMode = true
		if pc == nil && has(members, "applicants") && has(members, "units") {
			var err error
			if pc, err = newPairChecker(members); err != nil {
				return err
			}
		}
		return s.pairs(func(p pendingPair) error {
			if pc != nil {
				return pc.add(p)
			}
			pending = append(pending, p.copy())
			return nil
		})
	})
	if err == nil {
		err = s.end()
	}
	if err != nil {
		return Problem{}, asInputError(err)
	}
	if !pairMode {
		return readAttributes(members)
	}
	for _, m := range members {
		if !strings.EqualFold(m.key, "applicants") && !strings.EqualFold(m.key, "units") {
			return Problem{}, asInputError(pairModeError{invalid.F("ukjent felt %q", m.key)})
		}
	}
	if pc == nil {
		if pc, err = newPairChecker(members); err != nil {
			return Problem{}, asInputError(err)
		}
	}
	for _, p := range pending {
		if err := pc.add(p); err != nil {
			return Problem{}, err
		}
	}
	return pc.problem()
}

func has(ms []member, key string) bool {
	for _, m := range ms {
		if m.key == key {
			return true
		}
	}
	return false
}

// rebuild writes the kept members back as one JSON object, for
// encoding/json; a member given twice counts once, the last, as in
// encoding/json.
func rebuild(ms []member) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(m.key)
		b.Write(key)
		b.WriteByte(':')
		b.Write(m.raw)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func readAttributes(ms []member) (Problem, error) {
	var in AttributeInput
	dec := json.NewDecoder(bytes.NewReader(rebuild(ms)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return Problem{}, &InputError{[]invalid.Message{invalid.F("inndataene er ikke gyldig JSON for attributtmodus: %s", jsonProblem(err))}}
	}
	return in.Problem()
}

// pairModeError is a problem that stops the reading of a pair-mode input,
// as encoding/json stops at the first field of the wrong type.
type pairModeError struct{ msg invalid.Message }

func (e pairModeError) Error() string { return e.msg.String() }

// syntaxError is JSON that is not well formed; eof marks input that ends
// too soon (a message is not comparable, so errors.Is cannot tell).
type syntaxError struct {
	msg invalid.Message
	eof bool
}

func (e syntaxError) Error() string { return e.msg.String() }

func asInputError(err error) error {
	var pm pairModeError
	var se syntaxError
	switch {
	case errors.As(err, &pm):
		return &InputError{[]invalid.Message{invalid.F("inndataene er ikke gyldig JSON for parmodus: %s", pm.msg)}}
	case errors.As(err, &se):
		return &InputError{[]invalid.Message{invalid.F("inndataene er ikke gyldig JSON: %s", se.msg)}}
	}
	return err
}

// pairChecker checks pairs as they come and collects the problem, with
// the problems in the order PairInput used to name them: applicants and
// units first, then each pair's in pair order.
type pairChecker struct {
	p               Problem
	applicant, unit map[string]int
	n               int               // pairs read
	head            []invalid.Message // the applicants' and units' problems
	pairProblems    []numbered        // the first maxProblems problems of pairs, in order
	// keys (applicant<<32 | unit) and numbers of the pairs whose ids are
	// known, for the duplicate check: a sort finds duplicates in a tenth
	// of the time a map of 1,000,000 pairs takes.
	keys []uint64
	nums []int32
}

// maxPairs bounds one input's pairs and ids, so that a pair's number fits
// the int32 kept per pair and an applicant's and a unit's index each fit
// their half of a duplicate-check key.
const maxPairs = math.MaxInt32

// numbered is a problem of pair number n.
type numbered struct {
	n   int32
	msg invalid.Message
}

func newPairChecker(ms []member) (*pairChecker, error) {
	var in PairInput
	dec := json.NewDecoder(bytes.NewReader(rebuild(ms)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return nil, pairModeError{jsonProblem(err)}
	}
	if len(in.Applicants) > maxPairs || len(in.Units) > maxPairs {
		return nil, &InputError{[]invalid.Message{invalid.F("inndataene har flere enn %d søkere eller boliger", maxPairs)}}
	}
	pc := &pairChecker{applicant: map[string]int{}, unit: map[string]int{}}
	addf := func(format string, args ...any) {
		if len(pc.head) < maxProblems {
			pc.head = append(pc.head, invalid.F(format, args...))
		}
	}
	seenA := map[string]bool{}
	for i, a := range in.Applicants {
		if problem := checkID("søker", i, a.ID, seenA); problem != "" {
			addf("%s", problem)
		}
		prio := 0.0
		if a.Priority != nil {
			prio = *a.Priority
		}
		if prio < 0 || math.IsInf(prio, 0) || math.IsNaN(prio) {
			addf("søker «%s»: prioriteten må være et tall fra 0 og oppover", a.ID)
		}
		pc.applicant[a.ID] = i
		pc.p.Applicants, pc.p.Priorities = append(pc.p.Applicants, a.ID), append(pc.p.Priorities, prio)
	}
	seenU := map[string]bool{}
	for i, u := range in.Units {
		if problem := checkID("bolig", i, u.ID, seenU); problem != "" {
			addf("%s", problem)
		}
		pc.unit[u.ID] = i
		pc.p.Units = append(pc.p.Units, u.ID)
	}
	return pc, nil
}

func (pc *pairChecker) addf(format string, args ...any) {
	if len(pc.pairProblems) < maxProblems {
		n := int32(pc.n) //nolint:gosec // at most maxPairs, checked in add
		// The pair's ids may point into the reader's reused buffer, and a
		// message is written later: keep copies.
		for i, a := range args {
			switch s := a.(type) {
			case string:
				args[i] = strings.Clone(s)
			case []byte:
				args[i] = string(s)
			}
		}
		pc.pairProblems = append(pc.pairProblems, numbered{n, invalid.F(format, args...)})
	}
}

// add checks the next pair. Looking up the maps with string(bytes) does
// not allocate, so a good pair costs no garbage.
func (pc *pairChecker) add(p pendingPair) error {
	if pc.n == maxPairs {
		return &InputError{[]invalid.Message{invalid.F("inndataene har flere enn %d par", maxPairs)}}
	}
	pc.n++
	applicant, unit, score := p.applicant, p.unit, p.score
	a, okA := pc.applicant[string(applicant)]
	u, okU := pc.unit[string(unit)]
	badScore := p.hasScore && (score < 0 || math.IsInf(score, 0) || math.IsNaN(score))
	if !okA || !okU || !p.hasScore || badScore {
		name := fmt.Sprintf("par %d (%s–%s)", pc.n, applicant, unit)
		if !okA {
			pc.addf("%s: søkeren «%s» finnes ikke blant søkerne", name, applicant)
		}
		if !okU {
			pc.addf("%s: boligen «%s» finnes ikke blant boligene", name, unit)
		}
		switch {
		case !p.hasScore:
			pc.addf("%s: mangler score", name)
		case badScore:
			pc.addf("%s: scoren må være et endelig tall fra 0 og oppover, ikke %v", name, score)
		}
	} else {
		pc.p.Pairs = append(pc.p.Pairs, Pair{a, u, score})
	}
	if okA && okU && p.hasScore {
		pc.keys = append(pc.keys, uint64(a)<<32|uint64(u)) //nolint:gosec // indices from 0 to maxPairs < 2³², checked in newPairChecker
		pc.nums = append(pc.nums, int32(pc.n))             //nolint:gosec // at most maxPairs, checked above
	}
	return nil
}

// duplicates names each pair that repeats an earlier one.
func (pc *pairChecker) duplicates() []numbered {
	sorted := slices.Clone(pc.keys)
	slices.Sort(sorted)
	any := false
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			any = true
			break
		}
	}
	if !any {
		return nil
	}
	var dups []numbered
	first := map[uint64]int32{}
	for i, key := range pc.keys {
		if f, dup := first[key]; dup {
			dups = append(dups, numbered{pc.nums[i], invalid.F("par %d (%s–%s): samme par som par %d",
				pc.nums[i], pc.p.Applicants[key>>32], pc.p.Units[key&(1<<32-1)], f)})
			continue
		}
		first[key] = pc.nums[i]
	}
	return dups
}

func (pc *pairChecker) problem() (Problem, error) {
	pairProblems := append(pc.pairProblems, pc.duplicates()...)
	// Within one pair, its own problems come before the duplicate's.
	slices.SortStableFunc(pairProblems, func(x, y numbered) int { return cmp.Compare(x.n, y.n) })
	problems := pc.head
	for _, p := range pairProblems {
		if len(problems) == maxProblems {
			break
		}
		problems = append(problems, p.msg)
	}
	if len(problems) > 0 {
		if len(problems) == maxProblems {
			problems = append(problems, invalid.F("… flere feil er ikke vist"))
		}
		return Problem{}, &InputError{problems}
	}
	pc.keys, pc.nums = nil, nil
	return pc.p, nil
}

// pendingPair is one pair as read. Its byte slices are only valid until
// the next pair is read, unless copied.
type pendingPair struct {
	applicant, unit []byte
	score           float64
	hasScore        bool // false for a missing or null score
}

func (p pendingPair) copy() pendingPair {
	p.applicant, p.unit = bytes.Clone(p.applicant), bytes.Clone(p.unit)
	return p
}

// scanner reads JSON from a buffered reader one byte at a time, counting
// the bytes read for error messages.
type scanner struct {
	r   *bufio.Reader
	off int64
	// scratch space reused for each string and number
	applicant, unit, str, num []byte
}

func (s *scanner) unexpectedEOF() error {
	return syntaxError{msg: invalid.F("syntaksfeil: inndataene slutter midt i JSON-objektet"), eof: true}
}

func isUnexpectedEOF(err error) bool {
	var se syntaxError
	return errors.As(err, &se) && se.eof
}

func (s *scanner) errAt(what invalid.Message) error {
	return syntaxError{msg: invalid.F("syntaksfeil ved tegn %d (%s)", s.off, what)}
}

func (s *scanner) next() (byte, error) {
	c, err := s.r.ReadByte()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return 0, s.unexpectedEOF()
		}
		return 0, err
	}
	s.off++
	return c, nil
}

// peek skips white space and returns the next byte without reading it.
func (s *scanner) peek() (byte, error) {
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return 0, s.unexpectedEOF()
			}
			return 0, err
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			s.off++
			continue
		}
		if err := s.r.UnreadByte(); err != nil {
			return 0, err
		}
		return c, nil
	}
}

func (s *scanner) expect(want byte) error {
	c, err := s.peek()
	if err != nil {
		return err
	}
	if c != want {
		s.off++
		return s.errAt(invalid.F("ventet %q, fant %q", want, c))
	}
	_, err = s.next()
	return err
}

// object reads an object, calling member for each key with the reader at
// the key's value; member must read the value.
func (s *scanner) object(member func(key []byte) error) error {
	if c, err := s.peek(); err != nil {
		return err
	} else if c != '{' {
		return syntaxError{msg: invalid.F("ventet et JSON-objekt ved tegn %d, fant %q", s.off+1, c)}
	}
	if _, err := s.next(); err != nil {
		return err
	}
	if c, err := s.peek(); err != nil {
		return err
	} else if c == '}' {
		_, err := s.next()
		return err
	}
	for {
		if err := s.expect('"'); err != nil {
			return err
		}
		key, err := s.stringBody(&s.str)
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
		if _, done, err := s.separator('}'); err != nil || done {
			return err
		}
	}
}

// separator reads what follows a member or an element: ',' for more, or
// closing, which done reports. It returns the byte read.
func (s *scanner) separator(closing byte) (c byte, done bool, err error) {
	if c, err = s.peek(); err != nil {
		return c, false, err
	}
	if _, err = s.next(); err != nil {
		return c, false, err
	}
	switch c {
	case ',':
		return c, false, nil
	case closing:
		return c, true, nil
	}
	return c, false, s.errAt(invalid.F("ventet ',' eller '%c', fant %q", closing, c))
}

// topLevel reads the input's object; empty input and a bare null (which
// encoding/json decodes to nothing) are told apart.
func (s *scanner) topLevel(member func(key []byte) error) error {
	c, err := s.peek()
	switch {
	case isUnexpectedEOF(err):
		return syntaxError{msg: invalid.F("inndataene er tomme")}
	case err != nil:
		return err
	case c == 'n':
		return s.literal("null")
	}
	return s.object(member)
}

// end checks that nothing but white space follows the top-level object.
func (s *scanner) end() error {
	for {
		c, err := s.r.ReadByte()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return &InputError{[]invalid.Message{invalid.F("inndataene har mer enn ett JSON-objekt")}}
	}
}

// pairs reads the pairs array, giving each pair to fn.
func (s *scanner) pairs(fn func(pendingPair) error) error {
	c, err := s.peek()
	if err != nil {
		return err
	}
	if c == 'n' {
		return s.literal("null")
	}
	if c != '[' {
		return pairModeError{invalid.F("feltet «pairs» har feil type (%s)", s.kind(c))}
	}
	if _, err := s.next(); err != nil {
		return err
	}
	if c, err := s.peek(); err != nil {
		return err
	} else if c == ']' {
		_, err := s.next()
		return err
	}
	for {
		p, err := s.pair()
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
		if _, done, err := s.separator(']'); err != nil || done {
			return err
		}
	}
}

// kind names a JSON value by its first byte, as encoding/json does in a
// type error.
func (s *scanner) kind(c byte) string {
	switch c {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	}
	return "number"
}

// pair reads one {"applicant": …, "unit": …, "score": …}.
func (s *scanner) pair() (pendingPair, error) {
	var p pendingPair
	c, err := s.peek()
	if err != nil {
		return p, err
	}
	if c == 'n' {
		return p, s.literal("null")
	}
	if c != '{' {
		return p, pairModeError{invalid.F("feltet «pairs» har feil type (%s)", s.kind(c))}
	}
	s.applicant, s.unit = s.applicant[:0], s.unit[:0]
	err = s.object(func(key []byte) error {
		switch {
		case bytes.EqualFold(key, []byte("applicant")):
			return s.stringField("pairs.applicant", &s.applicant)
		case bytes.EqualFold(key, []byte("unit")):
			return s.stringField("pairs.unit", &s.unit)
		case bytes.EqualFold(key, []byte("score")):
			c, err := s.peek()
			if err != nil {
				return err
			}
			switch c {
			case 'n':
				p.hasScore = false
				return s.literal("null")
			case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
				num, err := s.number()
				if err != nil {
					return err
				}
				v, err := strconv.ParseFloat(string(num), 64)
				if err != nil {
					return pairModeError{invalid.F("feltet «pairs.score» har et tall som ikke kan brukes (number %s)", num)}
				}
				p.score, p.hasScore = v, true
				return nil
			}
			return pairModeError{invalid.F("feltet «pairs.score» har feil type (%s)", s.kind(c))}
		}
		return pairModeError{invalid.F("ukjent felt %q", key)}
	})
	p.applicant, p.unit = s.applicant, s.unit
	return p, err
}

// stringField reads a string (or null, which leaves it as it was) into dst.
func (s *scanner) stringField(field string, dst *[]byte) error {
	c, err := s.peek()
	if err != nil {
		return err
	}
	switch c {
	case 'n':
		return s.literal("null")
	case '"':
		if _, err := s.next(); err != nil {
			return err
		}
		_, err := s.stringBody(dst)
		return err
	}
	return pairModeError{invalid.F("feltet «%s» har feil type (%s)", field, s.kind(c))}
}

// stringBody reads a string's body after its opening quote into *dst,
// decoding escapes; invalid UTF-8 becomes U+FFFD, as in encoding/json.
func (s *scanner) stringBody(dst *[]byte) ([]byte, error) {
	b := (*dst)[:0]
	for {
		c, err := s.next()
		if err != nil {
			return nil, err
		}
		switch {
		case c == '"':
			if !utf8.Valid(b) {
				b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
			}
			*dst = b
			return b, nil
		case c < 0x20:
			return nil, s.errAt(invalid.F("kontrolltegn i en streng"))
		case c != '\\':
			b = append(b, c)
			continue
		}
		c, err = s.next()
		if err != nil {
			return nil, err
		}
		switch c {
		case '"', '\\', '/':
			b = append(b, c)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, err := s.hex4()
			if err != nil {
				return nil, err
			}
			if utf16.IsSurrogate(r) {
				// A surrogate pair is two escapes; a lone half is U+FFFD.
				if more, _ := s.r.Peek(2); len(more) == 2 && more[0] == '\\' && more[1] == 'u' {
					if _, err := s.next(); err != nil {
						return nil, err
					}
					if _, err := s.next(); err != nil {
						return nil, err
					}
					r2, err := s.hex4()
					if err != nil {
						return nil, err
					}
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
					} else {
						b = utf8.AppendRune(b, utf8.RuneError)
						r = r2
					}
				} else {
					r = utf8.RuneError
				}
			}
			b = utf8.AppendRune(b, r)
		default:
			return nil, s.errAt(invalid.F("ugyldig escape i en streng"))
		}
	}
}

func (s *scanner) hex4() (rune, error) {
	var r rune
	for range 4 {
		c, err := s.next()
		if err != nil {
			return 0, err
		}
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, s.errAt(invalid.F("ugyldig \\u-escape"))
		}
	}
	return r, nil
}

// number reads a JSON number and returns its text.
func (s *scanner) number() ([]byte, error) {
	b := s.num[:0]
	digits := func() (int, error) {
		n := 0
		for {
			c, err := s.r.ReadByte()
			if err != nil {
				if errors.Is(err, io.EOF) {
					return n, nil
				}
				return n, err
			}
			if c < '0' || c > '9' {
				return n, s.r.UnreadByte()
			}
			s.off++
			b = append(b, c)
			n++
		}
	}
	// optional reads the next byte if it is one of set. The input may end
	// with a number, so its end is no error here.
	optional := func(set string) (bool, error) {
		c, err := s.r.ReadByte()
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if bytes.IndexByte([]byte(set), c) < 0 {
			return false, s.r.UnreadByte()
		}
		s.off++
		b = append(b, c)
		return true, nil
	}
	if _, err := optional("-"); err != nil {
		return nil, err
	}
	start := len(b)
	n, err := digits()
	if err != nil {
		return nil, err
	}
	if n == 0 || (n > 1 && b[start] == '0') {
		return nil, s.errAt(invalid.F("ugyldig tall"))
	}
	if dot, err := optional("."); err != nil {
		return nil, err
	} else if dot {
		if n, err := digits(); err != nil || n == 0 {
			return nil, errors.Join(err, s.errAt(invalid.F("ugyldig tall")))
		}
	}
	if exp, err := optional("eE"); err != nil {
		return nil, err
	} else if exp {
		if _, err := optional("+-"); err != nil {
			return nil, err
		}
		if n, err := digits(); err != nil || n == 0 {
			return nil, errors.Join(err, s.errAt(invalid.F("ugyldig tall")))
		}
	}
	s.num = b
	return b, nil
}

// literal reads true, false or null.
func (s *scanner) literal(word string) error {
	for i := range len(word) {
		c, err := s.next()
		if err != nil {
			return err
		}
		if c != word[i] {
			return s.errAt(invalid.F("ugyldig verdi"))
		}
	}
	return nil
}

// captureValue reads any JSON value and returns its text.
func (s *scanner) captureValue() ([]byte, error) {
	var out []byte
	if err := s.value(&out, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// value reads one value, appending its text to out.
func (s *scanner) value(out *[]byte, depth int) error {
	if depth > 1000 {
		return s.errAt(invalid.F("for dypt nøstet"))
	}
	c, err := s.peek()
	if err != nil {
		return err
	}
	start := s.off
	switch {
	case c == '{' || c == '[':
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		if _, err := s.next(); err != nil {
			return err
		}
		*out = append(*out, c)
		if c2, err := s.peek(); err != nil {
			return err
		} else if c2 == closing {
			if _, err := s.next(); err != nil {
				return err
			}
			*out = append(*out, closing)
			return nil
		}
		for {
			if c == '{' {
				if err := s.expect('"'); err != nil {
					return err
				}
				key, err := s.stringBody(&s.str)
				if err != nil {
					return err
				}
				quoted, _ := json.Marshal(string(key))
				*out = append(*out, quoted...)
				if err := s.expect(':'); err != nil {
					return err
				}
				*out = append(*out, ':')
			}
			if err := s.value(out, depth+1); err != nil {
				return err
			}
			sep, done, err := s.separator(closing)
			if err != nil {
				return err
			}
			*out = append(*out, sep)
			if done {
				return nil
			}
		}
	case c == '"':
		if _, err := s.next(); err != nil {
			return err
		}
		str, err := s.stringBody(&s.str)
		if err != nil {
			return err
		}
		quoted, _ := json.Marshal(string(str))
		*out = append(*out, quoted...)
	case c == 't':
		*out = append(*out, "true"...)
		return s.literal("true")
	case c == 'f':
		*out = append(*out, "false"...)
		return s.literal("false")
	case c == 'n':
		*out = append(*out, "null"...)
		return s.literal("null")
	case c == '-' || ('0' <= c && c <= '9'):
		num, err := s.number()
		if err != nil {
			return err
		}
		*out = append(*out, num...)
	default:
		s.off = start + 1
		return s.errAt(invalid.F("ugyldig tegn %q", c))
	}
	return nil
}
