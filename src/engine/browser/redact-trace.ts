export async function redactTrace(_file: string, _secrets: string[]): Promise<void> {}
