import Testing

@Test func injectorPlaceholder() {}
