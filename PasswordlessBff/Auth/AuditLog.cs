namespace PasswordlessBff.Auth;

// The audit trail: one structured event per sign-in step, with stable ids, under its own category so it can be routed
// apart. Fields are pseudonyms (keyed hashes), an outcome code and a correlation id; never an address, code, token or cookie.
public static partial class AuditLog
{
    public const string Category = "PasswordlessBff.Audit";

    [LoggerMessage(EventId = 7001, EventName = "LoginStarted", Level = LogLevel.Information,
        Message = "Audit: sign-in started for account {AccountId} from client {ClientHash} (login {LoginRef}, outcome {Outcome}, correlation {CorrelationId})")]
    public static partial void LoginStarted(ILogger logger, string accountId, string clientHash, string loginRef, string outcome, string correlationId);

    [LoggerMessage(EventId = 7002, EventName = "LoginResent", Level = LogLevel.Information,
        Message = "Audit: sign-in email resent for account {AccountId} from client {ClientHash} (login {LoginRef}, outcome {Outcome}, correlation {CorrelationId})")]
    public static partial void LoginResent(ILogger logger, string accountId, string clientHash, string loginRef, string outcome, string correlationId);

    [LoggerMessage(EventId = 7003, EventName = "SendRefused", Level = LogLevel.Warning,
        Message = "Audit: {Operation} refused for account {AccountId} from client {ClientHash} (login {LoginRef}, outcome {Outcome}, correlation {CorrelationId})")]
    public static partial void SendRefused(ILogger logger, string operation, string accountId, string clientHash, string loginRef, string outcome, string correlationId);

    [LoggerMessage(EventId = 7004, EventName = "LoginVerified", Level = LogLevel.Information,
        Message = "Audit: sign-in verified by {Method} for account {AccountId} from client {ClientHash} (login {LoginRef}, outcome {Outcome}, correlation {CorrelationId})")]
    public static partial void LoginVerified(ILogger logger, string method, string accountId, string clientHash, string loginRef, string outcome, string correlationId);

    [LoggerMessage(EventId = 7005, EventName = "LoginFailed", Level = LogLevel.Warning,
        Message = "Audit: sign-in failed by {Method} for account {AccountId} from client {ClientHash} (login {LoginRef}, outcome {Outcome}, correlation {CorrelationId})")]
    public static partial void LoginFailed(ILogger logger, string method, string accountId, string clientHash, string loginRef, string outcome, string correlationId);

    [LoggerMessage(EventId = 7006, EventName = "LoginLocked", Level = LogLevel.Warning,
        Message = "Audit: sign-in locked after too many wrong codes for account {AccountId} from client {ClientHash} (login {LoginRef}, {Method}, outcome {Outcome}, correlation {CorrelationId})")]
    public static partial void LoginLocked(ILogger logger, string method, string accountId, string clientHash, string loginRef, string outcome, string correlationId);

    [LoggerMessage(EventId = 7007, EventName = "LoggedOut", Level = LogLevel.Information,
        Message = "Audit: signed out account {AccountId} from client {ClientHash} (session {SessionRef}, outcome {Outcome}, correlation {CorrelationId})")]
    public static partial void LoggedOut(ILogger logger, string accountId, string clientHash, string sessionRef, string outcome, string correlationId);

    [LoggerMessage(EventId = 7008, EventName = "SessionRevoked", Level = LogLevel.Information,
        Message = "Audit: revoked {Count} session(s) of account {AccountId} from client {ClientHash} (session {SessionRef}, outcome {Outcome}, correlation {CorrelationId})")]
    public static partial void SessionRevoked(ILogger logger, int count, string accountId, string clientHash, string sessionRef, string outcome, string correlationId);

    [LoggerMessage(EventId = 7009, EventName = "PolicyRefused", Level = LogLevel.Warning,
        Message = "Audit: sign-in policy held the {Step} step for account {AccountId} from client {ClientHash} (rule {Rule}, outcome {Outcome}, correlation {CorrelationId})")]
    public static partial void PolicyRefused(ILogger logger, string step, string accountId, string clientHash, string rule, string outcome, string correlationId);

    [LoggerMessage(EventId = 7010, EventName = "AdminRevoked", Level = LogLevel.Information,
        Message = "Audit: admin API revoked {Count} session(s) of {Subject} {SubjectId} (key {KeyRef}, outcome {Outcome}, correlation {CorrelationId})")]
    public static partial void AdminRevoked(ILogger logger, int count, string subject, string subjectId, string keyRef, string outcome, string correlationId);

    [LoggerMessage(EventId = 7011, EventName = "ApprovalDecided", Level = LogLevel.Warning,
        Message = "Audit: cross-device approval {Decision} for account {AccountId} from client {ClientHash} (login {LoginRef}, outcome {Outcome}, correlation {CorrelationId})")]
    public static partial void ApprovalDecided(ILogger logger, string decision, string accountId, string clientHash, string loginRef, string outcome, string correlationId);
}
