namespace Latchkey.Server.Tests.Dialects.Unleash;

/// <summary>
/// Bodies recorded from a real Unleash 7.5.1 server (shared/reference/unleash-7.5.1), with each error's random id
/// written as <c>*</c>. What Latchkey answers must be these, byte for byte.
/// </summary>
public static class UnleashRecorded
{
    public const string MissingExpiresAt =
        """{"id":"*","name":"BadDataError","message":"Request validation failed: your request body or params contain invalid data. Refer to the `details` list for more information.","details":[{"path":"/body/expiresAt","message":"The `/body/expiresAt` property is required. It was not present on the data you sent."}]}""";

    public const string PastExpiresAt =
        """{"name":"BadDataError","message":"Request validation failed: your request body or params contain invalid data: The expiry date should be in future.","details":[{"message":"The expiry date should be in future."}]}""";

    public const string MissingDescription =
        """{"id":"*","name":"BadDataError","message":"Request validation failed: your request body or params contain invalid data. Refer to the `details` list for more information.","details":[{"path":"/body/description","message":"The `/body/description` property is required. It was not present on the data you sent."}]}""";

    public const string EmptyDescription =
        """{"name":"BadDataError","message":"Request validation failed: your request body or params contain invalid data: PAT description cannot be empty.","details":[{"message":"PAT description cannot be empty."}]}""";

    public const string DateOnlyExpiresAt =
        """{"id":"*","name":"BadDataError","message":"Request validation failed: your request body or params contain invalid data. Refer to the `details` list for more information.","details":[{"message":"The `/body/expiresAt` property must match format \"date-time\". You sent \"2027-01-01\".","path":"/body/expiresAt"}]}""";

    public const string GarbageExpiresAt =
        """{"id":"*","name":"BadDataError","message":"Request validation failed: your request body or params contain invalid data. Refer to the `details` list for more information.","details":[{"message":"The `/body/expiresAt` property must match format \"date-time\". You sent \"not-a-date\".","path":"/body/expiresAt"}]}""";

    public const string DuplicateDescription =
        """{"name":"NameExistsError","message":"PAT description already exists.","details":[{"message":"PAT description already exists."}]}""";

    public const string TextPlain =
        """{"id":"*","name":"ContentTypeError","message":"We do not accept the content-type you provided (text/plain). Try using one of the content-types we do accept instead (application/json) and make sure the body is in the corresponding format.","details":[{"message":"We do not accept the content-type you provided (text/plain). Try using one of the content-types we do accept instead (application/json) and make sure the body is in the corresponding format."}]}""";

    public const string Unauthorized =
        """{"id":"*","name":"UnauthorizedError","message":"You must log in to use Unleash.","details":[{"message":"You must log in to use Unleash."}]}""";

    public const string AuthenticationRequired =
        """{"id":"*","name":"AuthenticationRequired","message":"You must log in to use Unleash. Your request had no authorization header, so we could not authorize you. Try logging in at /auth/simple/login","details":[{"message":"You must log in to use Unleash. Your request had no authorization header, so we could not authorize you. Try logging in at /auth/simple/login"}],"path":"/auth/simple/login","type":"password","defaultHidden":false}""";

    public const string PatNotFound =
        """{"name":"NotFoundError","message":"No PAT found.","details":[{"message":"No PAT found."}]}""";

    public const string NonIntegerId =
        """{"id":"*","name":"BadDataError","message":"Request validation failed: your request body or params contain invalid data. Refer to the `details` list for more information.","details":[{"message":"The `/params/id` property must be integer. You sent \"abc\".","path":"/params/id"}]}""";

    public const string TooManyPats =
        """{"name":"OperationDeniedError","message":"Too many PATs (10) already exist for this user.","details":[{"message":"Too many PATs (10) already exist for this user."}]}""";

    public static string PathNotAvailable(string path)
        => $$"""{"id":"*","name":"NotFoundError","message":"The path you were looking for ({{path}}) is not available.","details":[{"message":"The path you were looking for ({{path}}) is not available."}]}""";
}
