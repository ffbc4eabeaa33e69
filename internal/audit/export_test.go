package audit

// LegacyHash lets the tests build chains the way Husly did before the MAC.
var LegacyHash = legacyHash
