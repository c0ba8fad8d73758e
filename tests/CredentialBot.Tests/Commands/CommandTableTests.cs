using CredentialBot.Shared.Commands;

namespace CredentialBot.Tests.Commands;

public sealed class CommandTableTests
{
    private static readonly CommandTable Table = new([Command("help"), Command("my apps"), Command("status"), Command("my")]);

    [Theory]
    [InlineData("help", "help", "")]
    [InlineData("HELP", "help", "")]
    [InlineData("my apps", "my apps", "")]
    [InlineData("  My   Apps  ", "my apps", "")]
    [InlineData("my stuff", "my", "stuff")]
    [InlineData("status Payroll API", "status", "Payroll API")]
    [InlineData("status   Payroll    API ", "status", "Payroll API")]
    public void TryResolve_KnownCommand_FindsItAndItsArguments(string text, string expectedCommand, string expectedArguments)
    {
        Assert.True(Table.TryResolve(text, out var command, out var arguments));
        Assert.Equal(expectedCommand, command!.Info.Name);
        Assert.Equal(expectedArguments, arguments);
    }

    [Theory]
    [InlineData("statuses")]
    [InlineData("helpme")]
    [InlineData("")]
    [InlineData("rotate now")]
    public void TryResolve_UnknownOrGluedText_IsNotACommand(string text)
    {
        Assert.False(Table.TryResolve(text, out var command, out _));
        Assert.Null(command);
    }

    [Fact]
    public void Constructor_TwoCommandsWithTheSameName_FailsNamingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new CommandTable([Command("help"), Command("Help")]));

        Assert.Contains("'Help'", error.Message, StringComparison.Ordinal);
    }

    private static CommandRegistration Command(string name) => new(new CommandInfo(name, name, name), typeof(object));
}
