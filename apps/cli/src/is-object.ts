/** A JSON object (not null, not an array): the shape of a stored record's fields before they are read. */
export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
