// The public surface of @plugboard/runtime; each area exports from its own folder.
export {};
