namespace PasswordlessBff.Errors;

// Raised while binding an ActiveSession parameter without a valid session; answered as 401 unauthenticated.
public sealed class UnauthenticatedException() : Exception("No valid session.");
