<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>MainWindow</name>
    <message>
        <source>Tensors</source>
        <translation>张量</translation>
    </message>
    <message>
        <source>Autograd</source>
        <translation>自动求导</translation>
    </message>
    <message>
        <source>Builder</source>
        <translation>网络构建</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>blitzgui — learn PyTorch by touching it</source>
        <translation>blitzgui — 动手学 PyTorch</translation>
    </message>
    <message>
        <source>Loading PyTorch…</source>
        <translation>正在加载 PyTorch…</translation>
    </message>
    <message>
        <source>Device: …</source>
        <translation>设备：…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About blitzgui</source>
        <translation>关于 blitzgui(&amp;A)</translation>
    </message>
    <message>
        <source>Device: {}</source>
        <translation>设备：{}</translation>
    </message>
    <message>
        <source>&lt;h3&gt;blitzgui {version}&lt;/h3&gt;&lt;p&gt;A learning playground for PyTorch&apos;s &lt;i&gt;Deep Learning with PyTorch: A 60 Minute Blitz&lt;/i&gt;.&lt;/p&gt;&lt;p&gt;PyTorch {torch}&lt;br&gt;Qt {qt} (PySide6 {pyside})&lt;br&gt;Python {python}&lt;br&gt;Device: {device}&lt;/p&gt;</source>
        <translation>&lt;h3&gt;blitzgui {version}&lt;/h3&gt;&lt;p&gt;PyTorch 官方教程&lt;i&gt;《PyTorch 深度学习：60 分钟入门》&lt;/i&gt;的动手学习环境。&lt;/p&gt;&lt;p&gt;PyTorch {torch}&lt;br&gt;Qt {qt}（PySide6 {pyside}）&lt;br&gt;Python {python}&lt;br&gt;设备：{device}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About blitzgui</source>
        <translation>关于 blitzgui</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The language changes when blitzgui restarts. Restart now?</source>
        <translation>界面语言将在 blitzgui 重启后生效。现在重启吗？</translation>
    </message>
</context>
</TS>
