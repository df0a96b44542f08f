// netstandard2.0 lacks the marker type C# records and init accessors need; the compiler only looks for the name.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit { }
}
