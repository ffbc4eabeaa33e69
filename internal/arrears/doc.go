// Package arrears keeps the home when rent goes unpaid: rent, electricity
// and other arrears (husleierestanse) from the municipality's economy
// system or registered by hand, and the conversation with the tenant that
// comes before any collection (DOMAIN.md §2 step 9; seeds 002 and 004: the
// first missed due date should lead to a conversation, not to debt
// collection).
//
// # The model
//
// A due (forfall) is one amount billed to a tenant on a lease with a due
// date and a kind (rent, electricity, other), in whole øre. The economy
// system sends batches of the dues that are unpaid; each line carries the
// due's reference in the economy system and what is still outstanding. A
// later batch that names the same reference carries the new outstanding
// balance, 0 when it is paid, so a batch is a statement of balances and
// never a stream of payments: sending it twice cannot count a payment
// twice. A batch is known by the sender's batch id (or a file's SHA-256);
// the same batch again changes nothing and answers with the first result.
// Imports are all-or-nothing, with every bad line named.
//
// When a lease has an unpaid due and no conversation in progress, a
// conversation task is made for the tenant's primary contact in follow-up
// or, when there is none, the housing office on the lease's case, due the
// municipality's number of days after the first missed due date (Practice).
// The outcome (payment plan, deduction from benefits, application to NAV,
// housing allowance, other) is recorded with a note; NAV is told only with
// the tenant's consent or a stated legal basis. Collection (inkasso) can be
// marked as started only after the conversation, or with a reason. When
// every due of the lease is paid the conversation is settled, and a later
// missed due starts a new one.
//
// # Hook
//
// OnOutcome registers a function that runs inside the transaction that
// records a conversation's outcome; an error from it takes the whole
// recording back. Other capabilities use it to react in the same
// transaction, such as the escalation ladder stopping itself when a
// payment plan is agreed:
//
//	arrears.OnOutcome(func(ctx context.Context, q store.Queryer, o arrears.Outcome) error {
//		if o.Kind == arrears.PaymentPlan { … }
//		return nil
//	})
//
// # Access
//
// Amounts and outcomes reveal the tenant's finances (access.Finances);
// that a lease has arrears and a conversation is due is part of the
// tenancy (access.Tenancy), which property staff see when the
// municipality's matrix lets them. Every read goes through an
// access.Reader and is logged.
package arrears
