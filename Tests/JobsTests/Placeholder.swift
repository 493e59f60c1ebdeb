import Testing

@Test func jobsPlaceholder() {}
